package ai.netsky.cli;

import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import ai.netsky.peer.AllowlistSource;
import ai.netsky.peer.PeerAllowlist;
import ai.netsky.peer.PeerBridge;
import ai.netsky.peer.PeerClient;
import ai.netsky.peer.PeerIdentity;
import ai.netsky.peer.PeerLog;
import ai.netsky.peer.PeerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky io peer …}: this host's identity and its allowlist of other hosts, one-shot sends and
 * status, for the cross-machine bridge over NATS JetStream (the JVM's stand-in for netsky's iroh path,
 * spec io.md §6.6). The bridge itself is {@code netsky io serve --source peer}.
 */
@Command(name = "peer", aliases = "iroh", mixinStandardHelpOptions = true,
        description = "Cross-machine peers: identity (whoami), allowlist (add|list|remove), one-shot send, bridge status.",
        subcommands = {PeerCommand.Whoami.class, PeerCommand.Add.class, PeerCommand.ListPeers.class, PeerCommand.Remove.class,
                PeerCommand.Send.class, PeerCommand.Status.class})
public final class PeerCommand {
    private static final String CMD = "io peer";

    static PeerIdentity identity(CliContext ctx) {
        return PeerIdentity.loadOrCreate(ctx.paths(), PeerIdentity.keyFile(ctx.paths(), ctx.env()));
    }

    static Path allowlistFile(CliContext ctx) {
        return PeerAllowlist.file(ctx.paths(), ctx.env());
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true,
            description = "Print this host's public key (creating the keypair on first use); give it to the other host's `peer add`.")
    static final class Whoami implements Runnable {
        private final CliContext ctx;

        Whoami(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print one JSON report.")
        boolean json;

        @Override
        public void run() {
            PeerIdentity me = identity(ctx);
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("public_key", me.publicKey());
                data.put("key_file", me.file().toString());
                ctx.out().println(JsonReport.render("io peer whoami", "green", me.publicKey(), data));
                return;
            }
            ctx.out().println(me.publicKey());
            ctx.err().println("[netsky " + CMD + "] key file " + me.file() + "; on the other host run: netsky io peer add <label-for-this-host> " + me.publicKey());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Allow the host with <public-key> and call it <label> (addresses become <agent>@<label>). Replaces the key of an existing label.")
    static final class Add implements Runnable {
        private final CliContext ctx;

        Add(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<label>", description = "Local name of the peer: lowercase letters, digits, '-'.")
        String label;

        @Parameters(index = "1", paramLabel = "<public-key>", description = "The U… key the peer's `netsky io peer whoami` prints.")
        String key;

        @Override
        public void run() {
            Path file = allowlistFile(ctx);
            PeerAllowlist list = PeerAllowlist.load(file);
            boolean replaced = list.byLabel(label).isPresent();
            list.with(label, key.strip()).save(ctx.paths());
            Ui.line(ctx.out(), CMD, (replaced ? "replaced key of " : "added ") + label + " (" + key.strip() + ") in " + file);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List allowed peers: label, public key, when added.")
    static final class ListPeers implements Runnable {
        private final CliContext ctx;

        ListPeers(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print one JSON report.")
        boolean json;

        @Override
        public void run() {
            PeerAllowlist list = PeerAllowlist.load(allowlistFile(ctx));
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (var p : list.peers().values()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("label", p.label());
                    row.put("public_key", p.publicKey());
                    row.put("added", p.added());
                    rows.add(row);
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("file", list.file().toString());
                data.put("peers", rows);
                ctx.out().println(JsonReport.render("io peer list", "green", rows.size() + " peer(s)", data));
                return;
            }
            if (list.peers().isEmpty()) {
                Ui.line(ctx.out(), CMD, "no peers in " + list.file() + "; add one with `netsky io peer add <label> <public-key>`");
                return;
            }
            for (var p : list.peers().values()) {
                ctx.out().printf("%-20s %s  %s%n", p.label(), p.publicKey(), p.added() == null ? "" : p.added());
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop accepting (and sending to) the peer <label>.")
    static final class Remove implements Runnable {
        private final CliContext ctx;

        Remove(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<label>")
        String label;

        @Override
        public void run() {
            PeerAllowlist list = PeerAllowlist.load(allowlistFile(ctx));
            if (list.byLabel(label).isEmpty()) {
                throw new NetskyException("no peer '" + label + "' in " + list.file() + "; `netsky io peer list` shows the labels");
            }
            list.without(label).save(ctx.paths());
            Ui.line(ctx.out(), CMD, "removed " + label + "; its envelopes are refused from now on");
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Publish one envelope to <agent>@<label> now (needs the broker; `netsky channel send <agent>@<label>` queues instead).")
    static final class Send implements Runnable {
        private final CliContext ctx;

        Send(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<label>", description = "Peer label from `netsky io peer list`.")
        String label;

        @Parameters(index = "1", paramLabel = "<text|->", description = "Message text; '-' reads it from stdin.")
        String text;

        @Option(names = "--to", paramLabel = "<agent>", description = "Agent on the peer (default: agent0).")
        String to = "agent0";

        @Option(names = "--from", paramLabel = "<agent>", description = "Sender id (default: from AGENT_N, else agent0).")
        String from;

        @Option(names = "--url", paramLabel = "<nats-url>", description = "Broker URL(s), overriding peers.url / NETSKY_PEER_URL.")
        String url;

        @Override
        public void run() {
            String target = ChannelCommand.parseAgent(to).name() + "@" + label;
            String sender = from != null ? ChannelCommand.parseAgent(from).name() : ctx.self().name();
            String body = text;
            if ("-".equals(text)) {
                try {
                    body = new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new NetskyException("cannot read message text from stdin: " + e.getMessage());
                }
            }
            Envelope env = Envelope.now(sender, body).withTo(target);
            ai.netsky.core.EnvelopeRules.validate(env);
            PeerSettings settings = PeerSettings.from(ctx.config(), ctx.env(), url);
            PeerIdentity me = identity(ctx);
            PeerAllowlist list = PeerAllowlist.load(allowlistFile(ctx));
            try (PeerClient client = PeerClient.connect(settings, new PeerLog(ctx.paths(), null))) {
                var ack = client.send(me, list, env);
                Ui.line(ctx.out(), CMD, "sent to " + target + " via " + client.connectedUrl() + ": stream " + ack.getStream() + " seq " + ack.getSeqno());
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "This host's key, peers, outbox, the bridge's heartbeat and what the broker holds for this host.")
    static final class Status implements Runnable {
        private final CliContext ctx;

        Status(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print one JSON report.")
        boolean json;

        @Option(names = "--url", paramLabel = "<nats-url>", description = "Broker URL(s), overriding peers.url / NETSKY_PEER_URL.")
        String url;

        @Override
        public void run() {
            PeerSettings settings = PeerSettings.from(ctx.config(), ctx.env(), url);
            PeerIdentity me = identity(ctx);
            PeerAllowlist list = PeerAllowlist.load(allowlistFile(ctx));
            var paths = ctx.paths();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("public_key", me.publicKey());
            data.put("peers", list.peers().keySet());
            data.put("broker", String.join(",", settings.servers()));
            data.put("tls", settings.tls());
            data.put("stream", settings.stream());
            data.put("outbox_pending", count(paths.peerOutbox()));
            data.put("sent", count(paths.peerChannelDir().resolve("sent")));
            data.put("quarantined", count(paths.peerChannelDir().resolve("quarantine")));
            Map<String, Object> bridge = bridgeState(paths);
            data.put("bridge", bridge);
            String status = "green";
            List<String> problems = new ArrayList<>();
            if (!Boolean.TRUE.equals(bridge.get("running"))) problems.add("the bridge is not running (`netsky io serve --source peer`)");
            Map<String, Object> broker = new LinkedHashMap<>();
            try (PeerClient c = PeerClient.connect(settings, new PeerLog(paths, null))) {
                broker.put("reachable", true);
                broker.put("url", c.connectedUrl());
                var si = c.stream();
                broker.put("stream_messages", si == null ? null : si.getStreamState().getMsgCount());
                var ci = c.consumer(me.publicKey());
                broker.put("waiting_for_this_host", ci == null ? null : ci.getNumPending());
                broker.put("unacked", ci == null ? null : ci.getNumAckPending());
            } catch (NetskyException | IOException | io.nats.client.JetStreamApiException e) {
                broker.put("reachable", false);
                broker.put("error", e.getMessage());
                problems.add("the broker is unreachable");
            }
            data.put("broker_state", broker);
            if (list.peers().isEmpty()) problems.add("no peers allowed yet (`netsky io peer add`)");
            if (!problems.isEmpty()) status = Boolean.TRUE.equals(broker.get("reachable")) ? "yellow" : "red";
            String summary = problems.isEmpty() ? "bridge up, broker reachable, " + list.peers().size() + " peer(s)" : String.join("; ", problems);
            if (json) {
                ctx.out().println(JsonReport.render("io peer status", status, summary, data));
                return;
            }
            ctx.out().println("host key      " + me.publicKey());
            ctx.out().println("peers         " + (list.peers().isEmpty() ? "(none)" : String.join(", ", list.peers().keySet())));
            ctx.out().println("broker        " + data.get("broker") + (settings.tls() ? " (TLS)" : "") + ", stream " + settings.stream()
                    + (Boolean.TRUE.equals(broker.get("reachable"))
                    ? ": reachable, " + broker.get("waiting_for_this_host") + " waiting for this host, " + broker.get("unacked") + " unacked"
                    : ": unreachable (" + broker.get("error") + ")"));
            ctx.out().println("outbox        " + data.get("outbox_pending") + " pending, " + data.get("sent") + " sent, " + data.get("quarantined") + " quarantined");
            ctx.out().println("bridge        " + (Boolean.TRUE.equals(bridge.get("running"))
                    ? "running (pid " + bridge.get("pid") + "), delivered " + bridge.get("delivered") + ", published " + bridge.get("published")
                    + ", refused " + bridge.get("refused")
                    : "not running"));
            Ui.line(ctx.out(), CMD, summary);
        }

        private static int count(Path dir) {
            int n = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
                for (Path p : ds) {
                    if (!p.getFileName().toString().startsWith(".")) n++;
                }
            } catch (NoSuchFileException none) {
                return 0;
            } catch (IOException e) {
                return -1;
            }
            return n;
        }

        /** The bridge's state file; running = its pid is alive and the heartbeat is under 30 s old. */
        private static Map<String, Object> bridgeState(ai.netsky.core.NetskyPaths paths) {
            Map<String, Object> m = new LinkedHashMap<>();
            Path f = PeerBridge.stateFile(paths);
            try {
                Map<?, ?> s = EnvelopeCodec.mapper().readValue(Files.readAllBytes(f), Map.class);
                s.forEach((k, v) -> m.put(String.valueOf(k), v));
                long pid = ((Number) s.get("pid")).longValue();
                Instant beat = OffsetDateTime.parse(String.valueOf(s.get("heartbeat_at"))).toInstant();
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                m.put("running", alive && Duration.between(beat, Instant.now()).toSeconds() < 30);
            } catch (NoSuchFileException none) {
                m.put("running", false);
            } catch (IOException | RuntimeException e) {
                m.put("running", false);
                m.put("error", "unreadable " + f + ": " + e.getMessage());
            }
            return m;
        }
    }

    /** {@code netsky io serve --source peer}: runs the bridge until the process is told to stop (SIGTERM/SIGINT). */
    static void serve(CliContext ctx) {
        PeerSettings settings = PeerSettings.from(ctx.config(), ctx.env(), null);
        PeerIdentity me = identity(ctx);
        Path allowlist = allowlistFile(ctx);
        PeerAllowlist.load(allowlist); // a malformed list is an error now, not a silent refusal of everything later
        PeerBridge bridge = new PeerBridge(ctx.paths(), me, settings, new AllowlistSource(allowlist), new PeerLog(ctx.paths(), ctx.err()));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            bridge.close();
            stopped.countDown();
        }, "netsky-peer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        bridge.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bridge.close();
        }
    }

}
