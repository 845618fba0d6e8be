package io.faultline.harness.cli;

import io.faultline.harness.run.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations as {@link Durations#parse} does, for picocli. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
