package ai.netsky.lifecycle;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled role prompts ({@code agent0.md}, {@code clone.md}, {@code agentinfinity.md},
 * {@code agentinit.md}) and their rendering: {@code {{ key }}} placeholders filled from a map. An
 * unknown placeholder is an error rather than a silent blank, so a typo in a prompt shows up in tests.
 */
public final class Prompts {
    private Prompts() {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

    /** The bundled prompt for an agent's role. */
    public static String templateFor(AgentId agent) {
        return load(switch (agent.role()) {
            case ROOT -> "agent0";
            case WATCHDOG -> "agentinfinity";
            case CLONE, OTHER -> "clone";
        });
    }

    /** A bundled prompt by name (without {@code .md}). */
    public static String load(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream("prompts/" + name + ".md")) {
            if (in == null) throw new NetskyException("bundled prompt '" + name + ".md' is missing from the netsky jar; rebuild netsky");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetskyException("cannot read bundled prompt '" + name + ".md': " + e.getMessage(), e);
        }
    }

    /** Fills every {@code {{ key }}}; values are inserted literally (no recursive expansion). */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new NetskyException("prompt placeholder '{{ " + m.group(1) + " }}' has no value; known: " + values.keySet());
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholder values for one agent: {@code n} (number or {@code infinity}), {@code session}, {@code root}, {@code owner_name}. */
    public static Map<String, String> valuesFor(AgentId agent, String root, String ownerName) {
        return Map.of("n", agentN(agent), "session", agent.name(), "root", root, "owner_name", ownerName);
    }

    /** {@code AGENT_N} for an agent: its number, or {@code infinity} for agentinfinity. */
    public static String agentN(AgentId agent) {
        if (agent.equals(AgentId.AGENTINFINITY)) return "infinity";
        return agent.number().isPresent() ? Integer.toString(agent.number().getAsInt()) : agent.name();
    }
}
