package dev.nifireverseetl.processors.engine;

/**
 * What happened to one input record.
 *
 * @param record        the record
 * @param route         where it goes
 * @param destinationId the destination record id when known
 * @param created       whether the destination created it (successes), or null
 * @param errorCode     the destination's error code (or one of the engine's: INVALID_VALUE, MISSING_MATCH_KEY,
 *                      NO_RESULT, SUPERSEDED, RETRIES_EXHAUSTED ...), or null
 * @param errorMessage  the destination's message, or the engine's explanation, or null
 */
public record RecordOutcome(EngineRecord record, OutcomeRoute route, String destinationId, Boolean created, String errorCode, String errorMessage) {

    public static RecordOutcome success(final EngineRecord record, final String destinationId, final Boolean created) {
        return new RecordOutcome(record, OutcomeRoute.SUCCESS, destinationId, created, null, null);
    }

    public static RecordOutcome of(final EngineRecord record, final OutcomeRoute route, final String errorCode, final String errorMessage) {
        return new RecordOutcome(record, route, record.sync().destinationId(), null, errorCode, errorMessage);
    }
}
