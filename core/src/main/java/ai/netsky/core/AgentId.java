package ai.netsky.core;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * An agent's identity on the bus and its tmux session name: {@code agent0}, clones {@code agent<N>},
 * {@code agentinfinity}, or any other id that passes {@link #isValid} (e.g. a peer-mapped agent).
 */
public record AgentId(String name) implements Comparable<AgentId> {
    private static final Pattern VALID = Pattern.compile("agent[a-z0-9]+");
    private static final Pattern SESSION = Pattern.compile("agent[0-9]+");

    public enum Role { ROOT, CLONE, WATCHDOG, OTHER }

    public AgentId {
        if (!isValid(name)) {
            throw new NetskyException("invalid agent id '" + printable(name)
                    + "': ids are 'agent' followed by lowercase letters or digits (e.g. agent0, agent3, agentinfinity)");
        }
    }

    public static final AgentId AGENT0 = new AgentId(Names.AGENT0);
    public static final AgentId AGENTINFINITY = new AgentId(Names.AGENTINFINITY);

    public static AgentId of(String name) {
        return new AgentId(name);
    }

    /** {@code fromNumber(0)} is agent0; N > 0 is the clone agentN. */
    public static AgentId fromNumber(int n) {
        if (n < 0) throw new NetskyException("invalid agent number " + n + ": use 0 for agent0 or a positive clone number");
        return new AgentId(Names.CLONE_PREFIX + n);
    }

    /** netsky's {@code valid_agent_id}: prefix {@code agent} + non-empty lowercase ASCII alphanumerics. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The seed's {@code is_agent_session}: {@code agent} + one or more digits (agent0 and clones). */
    public static boolean isAgentSession(String name) {
        return name != null && SESSION.matcher(name).matches();
    }

    public OptionalInt number() {
        if (!isAgentSession(name)) return OptionalInt.empty();
        try {
            return OptionalInt.of(Integer.parseInt(name.substring(Names.CLONE_PREFIX.length())));
        } catch (NumberFormatException tooLong) {
            return OptionalInt.empty();
        }
    }

    public Role role() {
        if (name.equals(Names.AGENT0)) return Role.ROOT;
        if (name.equals(Names.AGENTINFINITY)) return Role.WATCHDOG;
        return number().isPresent() ? Role.CLONE : Role.OTHER;
    }

    /** Ordering for display: agent0, agent1, …, agent10, then others alphabetically. */
    @Override
    public int compareTo(AgentId o) {
        var a = number();
        var b = o.number();
        if (a.isPresent() && b.isPresent()) return Integer.compare(a.getAsInt(), b.getAsInt());
        if (a.isPresent()) return -1;
        if (b.isPresent()) return 1;
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }

    static String printable(String s) {
        if (s == null) return "null";
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", c));
            else b.appendCodePoint(c);
        });
        return b.toString();
    }
}
