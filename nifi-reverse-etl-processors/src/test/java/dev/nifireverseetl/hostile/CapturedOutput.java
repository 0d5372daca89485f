package dev.nifireverseetl.hostile;

import org.apache.nifi.processor.Relationship;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockComponentLog;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * Everything a processor run leaves behind that a person or another system can see: log messages at every level (the
 * processor's and its controller services', with their arguments and full exception chains), provenance events, and
 * the attributes and content of every FlowFile on every relationship. Tests scan it for secrets and raw PII.
 */
final class CapturedOutput {

    private CapturedOutput() {
    }

    /**
     * @return every log message (all levels) of the processor and of the named controller services, fully formatted
     */
    static List<String> logs(final TestRunner runner, final String... controllerServiceIds) {
        final List<String> texts = new ArrayList<>(logs(runner.getLogger()));
        for (final String serviceId : controllerServiceIds) {
            texts.addAll(logs(runner.getControllerServiceLogger(serviceId)));
        }
        return texts;
    }

    static List<String> logs(final MockComponentLog log) {
        final List<String> texts = new ArrayList<>();
        for (final List<LogMessage> level : List.of(log.getTraceMessages(), log.getDebugMessages(), log.getInfoMessages(), log.getWarnMessages(),
                log.getErrorMessages())) {
            for (final LogMessage message : level) {
                texts.add(format(message));
            }
        }
        return texts;
    }

    /**
     * @return the message, its arguments (a Throwable argument with its whole stack trace) and its exception chain
     */
    static String format(final LogMessage message) {
        final StringBuilder text = new StringBuilder(String.valueOf(message.getMsg()));
        if (message.getArgs() != null) {
            for (final Object argument : message.getArgs()) {
                text.append(" | ").append(argument instanceof Throwable throwable ? stackTrace(throwable) : String.valueOf(argument));
            }
        }
        if (message.getThrowable() != null) {
            text.append(" | ").append(stackTrace(message.getThrowable()));
        }
        return text.toString();
    }

    static String stackTrace(final Throwable throwable) {
        final StringWriter writer = new StringWriter();
        throwable.printStackTrace(new PrintWriter(writer));
        return writer.toString();
    }

    /**
     * @return every provenance event's type, details, transit URI, alternate identifier and attributes
     */
    static List<String> provenance(final TestRunner runner) {
        final List<String> texts = new ArrayList<>();
        for (final ProvenanceEventRecord event : runner.getProvenanceEvents()) {
            texts.add(event.getEventType() + " details=" + event.getDetails() + " transitUri=" + event.getTransitUri() + " alternate="
                    + event.getAlternateIdentifierUri() + " attributes=" + event.getAttributes() + " updated=" + event.getUpdatedAttributes());
        }
        return texts;
    }

    /**
     * @return attributes and content of every FlowFile on every relationship of the processor
     */
    static List<String> flowFiles(final TestRunner runner) {
        final List<String> texts = new ArrayList<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                texts.add(relationship.getName() + " attributes=" + flowFile.getAttributes());
                texts.add(relationship.getName() + " content=" + flowFile.getContent());
            }
        }
        return texts;
    }

    /**
     * @return attribute values of every output FlowFile
     */
    static List<String> attributes(final TestRunner runner) {
        final List<String> texts = new ArrayList<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                for (final Map.Entry<String, String> attribute : flowFile.getAttributes().entrySet()) {
                    texts.add(attribute.getKey() + "=" + attribute.getValue());
                }
            }
        }
        return texts;
    }

    /**
     * @return the secret as it may appear: plain, Base64 (standard and URL-safe, with and without padding) and inside
     * the Basic credential {@code prefix + secret} (for Zendesk's {@code email/token:TOKEN})
     */
    static List<String> forms(final String secret, final String... basicPrefixes) {
        final List<String> forms = new ArrayList<>();
        forms.add(secret);
        final List<String> plain = new ArrayList<>(List.of(secret));
        for (final String prefix : basicPrefixes) {
            plain.add(prefix + secret);
        }
        for (final String text : plain) {
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            forms.add(Base64.getEncoder().encodeToString(bytes));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        return forms;
    }

    /**
     * @return the texts that contain any of the needles (case-sensitive), each with the needle it holds
     */
    static List<String> findings(final List<String> texts, final List<String> needles) {
        final List<String> findings = new ArrayList<>();
        for (final String text : texts) {
            for (final String needle : needles) {
                if (text.contains(needle)) {
                    findings.add("[" + abbreviate(needle) + "] in: " + abbreviate(text));
                }
            }
        }
        return findings;
    }

    static String abbreviate(final String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
    }
}
