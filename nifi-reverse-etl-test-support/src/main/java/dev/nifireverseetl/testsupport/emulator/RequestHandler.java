package dev.nifireverseetl.testsupport.emulator;

/**
 * Handles the requests of one route. May throw {@link EmulatorException} to answer with an error.
 */
@FunctionalInterface
public interface RequestHandler {

    EmulatorResponse handle(EmulatorRequest request);
}
