package com.onemusic.privacy.dsr.export;

import java.time.Instant;

import com.onemusic.privacy.dsr.request.StepStatus;

/**
 * One part of a participant's answer to an access request (from ExportFragmentReported).
 *
 * @param eventId the event's id
 * @param occurredAt when the participant made it
 * @param requestId the request
 * @param participant who answers
 * @param status DONE, NOTHING_HELD or FAILED
 * @param part this part, from 1
 * @param parts how many parts
 * @param content this part of the JSON document, or null
 * @param message the participant's message, or null
 */
public record FragmentReport(String eventId, Instant occurredAt, String requestId, String participant,
		StepStatus status, int part, int parts, String content, String message) {

}
