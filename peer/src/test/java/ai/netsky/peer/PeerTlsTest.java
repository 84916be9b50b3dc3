package ai.netsky.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to the broker: a nats-server with a self-signed certificate, trusted through peers.tls_ca. */
class PeerTlsTest {
    @TempDir Path dir;

    @Test
    void bridgesTalkOverTlsWhenTheCaIsConfiguredAndRefuseAnUntrustedBroker() throws Exception {
        Path p12 = dir.resolve("broker.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        var gen = BoundedProcess.run(List.of(keytool, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
                "-J-Dkeystore.pkcs12.keyPbeIterationCount=1", "-J-Dkeystore.pkcs12.macIterationCount=1", "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit"), Duration.ofSeconds(60));
        assertEquals(0, gen.exitCode(), gen.stderr());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        var mime = Base64.getMimeEncoder(64, "\n".getBytes());
        Path certPem = Files.writeString(dir.resolve("broker.pem"), "-----BEGIN CERTIFICATE-----\n"
                + mime.encodeToString(ks.getCertificate("broker").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        PrivateKey key = (PrivateKey) ks.getKey("broker", "changeit".toCharArray());
        Path keyPem = Files.writeString(dir.resolve("broker.key"), "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        try (var nats = new LocalNatsServer(Files.createDirectories(dir.resolve("nats")),
                List.of("tls { cert_file: \"" + certPem + "\", key_file: \"" + keyPem + "\" }")).start()) {
            assertTrue(nats.url().startsWith("tls://"));
            PeerSettings tls = PeerSettings.local(nats.url()).withTls(certPem);
            assertTrue(tls.tls());
            try (var a = new TestHost("hosta", dir, tls); var b = new TestHost("hostb", dir, tls)) {
                a.allow("hostb", b);
                b.allow("hosta", a);
                a.startBridge();
                b.startBridge();
                new EnvelopeWriter(a.paths).deliver("agent1@hostb", Envelope.now("agent0", "over tls"));
                TestHost.await("delivered over TLS", Duration.ofSeconds(15), () -> b.inbox("agent1").size() == 1);
                assertEquals("agent0@hosta", b.inbox("agent1").get(0).from());
            }
            // Without the CA the JDK's trust store does not know the self-signed certificate: refused, with a fix.
            var e = assertThrows(NetskyException.class, () -> PeerClient.connect(PeerSettings.local(nats.url()), new PeerLog(
                    new ai.netsky.core.NetskyPaths(dir), null)).close());
            assertTrue(e.getMessage().startsWith("cannot reach the NATS broker at " + nats.url()), e.getMessage());
        }
    }
}
