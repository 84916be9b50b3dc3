package ai.netsky.peer;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How this host reaches the broker: resolved from {@code [peers]} in netsky.toml and the environment
 * (flag > env > file > default, like every netsky setting).
 */
public record PeerSettings(List<String> servers, String stream, String subjectPrefix, Duration maxAge,
                           Path tlsCa, Path tlsKeystore, char[] tlsKeystorePassword, Path creds, Duration ackWait) {

    /** How long a delivered-but-unacked message waits before the broker redelivers it. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
    public static final String ENV_KEYSTORE_PASSWORD = "NETSKY_PEER_TLS_KEYSTORE_PASSWORD";
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SUBJECT_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    public PeerSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) throw new NetskyException("peers.url is empty; set it to the broker, e.g. nats://127.0.0.1:4222");
        if (!STREAM_NAME.matcher(stream).matches()) {
            throw new NetskyException("peers.stream '" + stream + "' is not a JetStream stream name; use letters, digits, '_' or '-'");
        }
        if (!SUBJECT_PREFIX.matcher(subjectPrefix).matches()) {
            throw new NetskyException("peers.subject_prefix '" + subjectPrefix + "' is not a plain NATS subject; use dot-separated tokens like netsky.peer");
        }
    }

    public static PeerSettings from(Config config, Map<String, String> env, String urlFlag) {
        List<String> servers = Arrays.stream(config.string(ConfigKey.PEER_URL, urlFlag).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        long maxAge = config.integer(ConfigKey.PEER_MAX_AGE_S, null);
        if (maxAge <= 0) throw new NetskyException("peers.max_age_s must be positive, got " + maxAge + "; fix it");
        long ackWait = config.integer(ConfigKey.PEER_ACK_WAIT_S, null);
        if (ackWait <= 0) throw new NetskyException("peers.ack_wait_s must be positive, got " + ackWait + "; fix it");
        String pw = env.get(ENV_KEYSTORE_PASSWORD);
        return new PeerSettings(servers, config.string(ConfigKey.PEER_STREAM, null), config.string(ConfigKey.PEER_SUBJECT_PREFIX, null),
                Duration.ofSeconds(maxAge), path(config, ConfigKey.PEER_TLS_CA), path(config, ConfigKey.PEER_TLS_KEYSTORE),
                pw == null ? new char[0] : pw.toCharArray(), path(config, ConfigKey.PEER_CREDS), Duration.ofSeconds(ackWait));
    }

    /** Settings for a test or benchmark broker: defaults except the server URL. */
    public static PeerSettings local(String url) {
        return new PeerSettings(List.of(url), "NETSKY_PEER", "netsky.peer", Duration.ofDays(7), null, null, new char[0], null, DEFAULT_ACK_WAIT);
    }

    /** The same settings with another redelivery delay (tests shorten it). */
    public PeerSettings withAckWait(Duration d) {
        return new PeerSettings(servers, stream, subjectPrefix, maxAge, tlsCa, tlsKeystore, tlsKeystorePassword, creds, d);
    }

    public PeerSettings withTls(Path ca) {
        return new PeerSettings(servers, stream, subjectPrefix, maxAge, ca, tlsKeystore, tlsKeystorePassword, creds, ackWait);
    }

    private static Path path(Config config, ConfigKey key) {
        return config.string(key).filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath().normalize()).orElse(null);
    }

    public boolean tls() {
        return tlsCa != null || tlsKeystore != null || servers.stream().anyMatch(s -> s.startsWith("tls://"));
    }

    /** The subject envelopes for the host with {@code publicKey} are published on. */
    public String subjectFor(String publicKey) {
        return subjectPrefix + "." + publicKey;
    }

    /** The durable consumer a host reads its envelopes with (one per host, survives restarts). */
    public String consumerFor(String publicKey) {
        return "netsky-host-" + publicKey;
    }

    /**
     * An SSL context from the configured CA bundle and client keystore, or null to let the client use
     * the JDK's default trust store (for {@code tls://} URLs without {@code tls_ca}).
     */
    public SSLContext sslContext() {
        if (tlsCa == null && tlsKeystore == null) return null;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tlsCa != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(tlsCa)) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
                    if (i == 0) throw new NetskyException("peers.tls_ca " + tlsCa + " holds no PEM certificate; point it at the broker's CA file");
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (tlsKeystore != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(tlsKeystore)) {
                    ks.load(in, tlsKeystorePassword);
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, tlsKeystorePassword);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new NetskyException("cannot set up TLS to the broker from peers.tls_ca/peers.tls_keystore: " + e.getMessage()
                    + "; check the files (PEM CA bundle, PKCS#12 keystore) and " + ENV_KEYSTORE_PASSWORD, e);
        }
    }
}
