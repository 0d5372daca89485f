package dev.nifireverseetl.hostile;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS certificates are always verified (an SSL context service adds trust, it never switches verification off), and
 * requests go through the proxy of the Proxy Configuration Service.
 */
class TlsAndProxyTest {

    private static final String TOKEN = "pat-na1-tls";
    private static final String CONTACTS = "{\"email\":\"a@example.com\",\"firstname\":\"A\"}\n{\"email\":\"b@example.com\",\"firstname\":\"B\"}\n";

    private static HeldCertificate certificate(final String hostName) {
        return new HeldCertificate.Builder().commonName(hostName).addSubjectAlternativeName(hostName).build();
    }

    private static HubSpotEmulator httpsEmulator(final HeldCertificate certificate) {
        final HandshakeCertificates serverCertificates = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        final HubSpotEmulator emulator = new HubSpotEmulator().token(TOKEN);
        emulator.server().useHttps(serverCertificates.sslSocketFactory());
        return emulator.start();
    }

    private static TestRunner runner(final String baseUrl) {
        final TestRunner runner = TestRunners.newTestRunner(PutHubSpot.class);
        JsonLines.register(runner, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
        runner.setProperty(PutHubSpot.BASE_URL, baseUrl);
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, TOKEN);
        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "1");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "5 ms");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "3 sec");
        return runner;
    }

    private static void trust(final TestRunner runner, final HeldCertificate certificate) throws InitializationException {
        final TrustingSslContextService ssl = new TrustingSslContextService(new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build());
        runner.addControllerService("ssl", ssl);
        runner.enableControllerService(ssl);
        runner.setProperty(AbstractPutDestination.SSL_CONTEXT_SERVICE, "ssl");
    }

    private static long records(final TestRunner runner, final String relationship) {
        return runner.getFlowFilesForRelationship(relationship).stream().mapToLong(flowFile -> flowFile.getContent().lines().count()).sum();
    }

    private static void assertReason(final TestRunner runner, final String reason) {
        assertTrue(CapturedOutput.attributes(runner).stream().anyMatch(attribute -> attribute.startsWith("retl.error.message=") && attribute.contains(reason)),
                CapturedOutput.attributes(runner).toString());
    }

    @Test
    void aSelfSignedCertificateIsRejectedWithoutAnSslContextService() {
        final HeldCertificate localhost = certificate("localhost");
        try (HubSpotEmulator emulator = httpsEmulator(localhost)) {
            assertTrue(emulator.baseUrl().startsWith("https://"));
            final TestRunner runner = runner(emulator.baseUrl());
            runner.enqueue(CONTACTS);
            runner.run();

            assertEquals(0, records(runner, "success"), "nothing may be written over an unverified connection");
            assertEquals(2, records(runner, "retry") + records(runner, "failure"), "records in = records out");
            assertTrue(emulator.records("contacts").isEmpty());
            assertEquals(0, emulator.server().metrics().requests(), "no request reached the server");
            assertReason(runner, "PKIX path building failed");
        }
    }

    @Test
    void aSelfSignedCertificateIsAcceptedWhenTheSslContextServiceTrustsIt() throws InitializationException {
        final HeldCertificate localhost = certificate("localhost");
        try (HubSpotEmulator emulator = httpsEmulator(localhost)) {
            final TestRunner runner = runner(emulator.baseUrl());
            trust(runner, localhost);
            runner.enqueue(CONTACTS);
            runner.run();

            assertEquals(2, records(runner, "success"));
            assertEquals(2, emulator.records("contacts").size());
            assertTrue(runner.getProvenanceEvents().stream().anyMatch(event -> event.getTransitUri() != null && event.getTransitUri().startsWith("https://")));
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsStillRejected() throws InitializationException {
        final HeldCertificate otherHost = certificate("api.other.example");
        try (HubSpotEmulator emulator = httpsEmulator(otherHost)) {
            final TestRunner runner = runner(emulator.baseUrl());
            trust(runner, otherHost);
            runner.enqueue(CONTACTS);
            runner.run();

            assertEquals(0, records(runner, "success"), "host name verification stays on with an SSL context service");
            assertEquals(2, records(runner, "retry") + records(runner, "failure"), "records in = records out");
            assertReason(runner, "not verified");
            assertTrue(emulator.records("contacts").isEmpty());
        }
    }

    @Test
    void requestsGoThroughTheConfiguredProxy() throws InitializationException {
        try (HubSpotEmulator emulator = new HubSpotEmulator().token(TOKEN).start();
             ForwardingProxy proxy = new ForwardingProxy()) {
            final TestRunner runner = runner(emulator.baseUrl());
            final FixedProxyConfigurationService proxyService = new FixedProxyConfigurationService(proxy.host(), proxy.port());
            runner.addControllerService("proxy", proxyService);
            runner.enableControllerService(proxyService);
            runner.setProperty(AbstractPutDestination.PROXY_CONFIGURATION_SERVICE, "proxy");
            runner.enqueue(CONTACTS);
            runner.run();

            assertEquals(2, records(runner, "success"));
            assertEquals(2, emulator.records("contacts").size());
            final List<String> requestLines = proxy.requestLines();
            assertFalse(requestLines.isEmpty(), "the request went through the proxy");
            assertTrue(requestLines.stream().allMatch(line -> line.startsWith("POST " + emulator.baseUrl() + "/crm/v3/objects/contacts/batch/upsert")), requestLines.toString());
            assertEquals(requestLines.size(), emulator.server().metrics().requests(), "every request reached HubSpot through the proxy");
        }
    }
}
