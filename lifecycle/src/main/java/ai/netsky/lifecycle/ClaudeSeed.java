package ai.netsky.lifecycle;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pre-seeds {@code ~/.claude.json} so an unattended Claude Code start meets as few dialogs as
 * possible: the netsky root's workspace trust ({@code projects[root].hasTrustDialogAccepted}) and,
 * when netsky runs with an API key, onboarding done and that key approved ({@code
 * customApiKeyResponses.approved} holds the key's last 20 characters, as Claude Code itself records
 * it). Everything else in the file is kept. The bypass-permissions warning is left to the pane
 * watcher: accepting it is a choice netsky makes per session, not a global setting it changes.
 */
final class ClaudeSeed {
    private ClaudeSeed() {}

    static void seed(Path home, Path root, String apiKey) {
        Path file = home.resolve(".claude.json");
        ObjectNode doc;
        try {
            JsonNode read = EnvelopeCodec.mapper().readTree(Files.readString(file));
            if (!(read instanceof ObjectNode o)) throw new NetskyException(file + " is not a JSON object; fix or move it aside, then retry");
            doc = o;
        } catch (NoSuchFileException absent) {
            doc = EnvelopeCodec.mapper().createObjectNode();
        } catch (IOException e) {
            throw new NetskyException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new NetskyException(file + " is not valid JSON (" + e.getOriginalMessage() + "); fix or move it aside, then retry", e);
        }
        ObjectNode projects = doc.has("projects") && doc.get("projects") instanceof ObjectNode p ? p : doc.putObject("projects");
        String key = root.toAbsolutePath().normalize().toString();
        ObjectNode project = projects.get(key) instanceof ObjectNode p ? p : projects.putObject(key);
        project.put("hasTrustDialogAccepted", true);
        if (apiKey != null && !apiKey.isBlank()) {
            doc.put("hasCompletedOnboarding", true);
            ObjectNode responses = doc.get("customApiKeyResponses") instanceof ObjectNode r ? r : doc.putObject("customApiKeyResponses");
            ArrayNode approved = responses.get("approved") instanceof ArrayNode a ? a : responses.putArray("approved");
            if (!(responses.get("rejected") instanceof ArrayNode)) responses.putArray("rejected");
            String suffix = apiKey.length() > 20 ? apiKey.substring(apiKey.length() - 20) : apiKey;
            boolean present = false;
            for (JsonNode n : approved) present |= suffix.equals(n.asString(""));
            if (!present) approved.add(suffix);
        }
        try {
            Path tmp = file.resolveSibling(".claude.json.netsky-" + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
