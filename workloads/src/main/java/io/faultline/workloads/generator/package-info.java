/**
 * Generators: immutable values that say which operation to invoke next, on which free process and
 * at what time, in the manner of Jepsen's generators. An interpreter (the simulator, or a controller
 * driving real processes) asks a {@link io.faultline.workloads.generator.Generator} with a
 * {@link io.faultline.workloads.generator.Context} and acts on the {@link
 * io.faultline.workloads.generator.Next} it gets back; {@link io.faultline.workloads.generator.Generators}
 * holds the combinators. Every random choice comes from the context's seeded source, so the same
 * seed and the same sequence of questions give the same operations.
 */
package io.faultline.workloads.generator;
