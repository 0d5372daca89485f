package dev.nifireverseetl.testsupport.emulator;

import java.util.Map;

/**
 * One request an emulator received and the status it answered, kept when recording is on (for contract checks).
 *
 * @param method  HTTP method
 * @param path    path with query string
 * @param headers request headers (the Authorization credential is redacted, its scheme kept)
 * @param body    request body as text
 * @param status  the status answered
 */
public record RecordedExchange(String method, String path, Map<String, String> headers, String body, int status) {
}
