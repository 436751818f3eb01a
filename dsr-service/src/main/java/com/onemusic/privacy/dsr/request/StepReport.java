package com.onemusic.privacy.dsr.request;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A participant's report on its part of an erasure (from ErasureStepReported).
 *
 * @param eventId the report's id
 * @param occurredAt when the participant made it
 * @param requestId the request
 * @param participant who reports
 * @param partner whether it is a partner
 * @param status its status
 * @param message its message, or null
 * @param counts what it erased
 * @param verified its own verification result, or null
 * @param retained what it keeps (participant filled in by the step)
 */
public record StepReport(String eventId, Instant occurredAt, String requestId, String participant, boolean partner,
		StepStatus status, String message, Map<String, Long> counts, Boolean verified, List<RetainedItem> retained) {

	public StepReport {
		counts = (counts != null) ? Map.copyOf(counts) : Map.of();
		retained = (retained != null) ? List.copyOf(retained) : List.of();
	}

}
