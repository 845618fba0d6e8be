package io.faultline.targets.kv;

/**
 * What a log entry (a Raft entry, a Paxos slot) asks the key/value state machine to do. A read
 * enters the log only where a protocol reads through it ({@link Read}); otherwise reads are served
 * by ReadIndex or a lease.
 */
public sealed interface Command permits Command.Noop, Command.Put, Command.Cas, Command.Add, Command.Read, Command.Transfer,
    Command.ReadAccounts, Command.Adjust, Command.Txn {

  /** The entry a new leader appends at the start of its term, so that it can commit at all. */
  record Noop() implements Command {}

  /** Sets {@code key} to {@code value}. */
  record Put(String key, long value) implements Command {
    public Put {
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /** Sets {@code key} to {@code value} if it currently holds {@code expected}; else changes nothing. */
  record Cas(String key, long expected, long value) implements Command {
    public Cas {
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Adds {@code element} to the grow-only set at {@code key}, creating the set when the key is
   * empty; changes nothing when the key holds a number.
   */
  record Add(String key, long element) implements Command {
    public Add {
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /** Reads {@code key}: changes nothing, and its place in the log orders it among the writes. */
  record Read(String key) implements Command {
    public Read {
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Moves {@code amount} from account {@code from} to account {@code to}, both numbers; refused,
   * changing nothing, when {@code from} holds less. An account never written holds {@code opening}:
   * a bank whose accounts all open with the same balance needs no setup step.
   */
  record Transfer(String from, String to, long amount, long opening) implements Command {
    public Transfer {
      java.util.Objects.requireNonNull(from, "from");
      java.util.Objects.requireNonNull(to, "to");
    }
  }

  /** Reads every one of {@code accounts} at one point of the log (an account never written holds {@code opening}). */
  record ReadAccounts(java.util.List<String> accounts, long opening) implements Command {
    public ReadAccounts {
      accounts = java.util.List.copyOf(accounts);
    }
  }

  /**
   * Adds {@code delta} to the account {@code key} (which opens with {@code opening}); refused,
   * changing nothing, when the balance would go below zero. A transfer across shards is two of them.
   */
  record Adjust(String key, long delta, long opening) implements Command {
    public Adjust {
      java.util.Objects.requireNonNull(key, "key");
    }
  }

  /**
   * A transaction: its micro-ops applied in order, atomically, as one log entry, so a protocol that
   * orders its log totally makes transactions strict serializable. A read ({@code r}) sees the
   * transaction's own earlier writes; {@code append} adds a number to the end of the list at a key
   * (creating it); {@code w} sets a key to a number. When one micro-op is refused (a key of the
   * other kind), none takes effect.
   */
  record Txn(java.util.List<Micro> ops) implements Command {
    public Txn {
      ops = java.util.List.copyOf(ops);
      if (ops.isEmpty()) throw new IllegalArgumentException("a transaction needs at least one micro-op");
    }

    /** Whether every micro-op is a read: such a transaction changes nothing and may be served as a read. */
    public boolean readOnly() {
      for (Micro m : ops) if (!m.f().equals(Micro.READ)) return false;
      return true;
    }

    /**
     * One micro-op.
     *
     * @param f {@code r}, {@code w} or {@code append}
     * @param value the number written or appended; null for a read
     */
    public record Micro(String f, String key, Long value) {
      public static final String READ = "r";
      public static final String WRITE = "w";
      public static final String APPEND = "append";

      public Micro {
        java.util.Objects.requireNonNull(f, "f");
        java.util.Objects.requireNonNull(key, "key");
        if (!f.equals(READ) && !f.equals(WRITE) && !f.equals(APPEND)) {
          throw new IllegalArgumentException("unknown micro-op '" + f + "' (expected r, w or append)");
        }
        if (f.equals(READ) != (value == null)) {
          throw new IllegalArgumentException(f.equals(READ) ? "a read takes no value" : f + " needs a whole-number value");
        }
      }
    }
  }
}
