package com.onemusic.privacy.sharing.erasure;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.onemusic.privacy.events.ErasureStepStatus;

/**
 * One ErasureStepReported the gateway owes the request, and its outbox entry. Ids sort in
 * the order the reports of one request must go out: the partners announced PENDING
 * ({@code <request>/1/<partner>}), then the gateway's own step ({@code <request>/2}),
 * then each partner's escalation ({@code <request>/3/<partner>}, FAILED) and confirmation
 * ({@code <request>/4/<partner>}; a partner may confirm after it was escalated), then the
 * follow-ups, each a participant of its own ({@code partner:<id>:<webhook id>}):
 * announced ({@code <request>/5/<partner>/<webhook id>/announced}, PENDING), escalated
 * ({@code .../escalated}) and confirmed ({@code .../confirmed}).
 *
 * @param id the id
 * @param eventId the id of the event
 * @param occurredAt when it happened
 * @param requestId the request
 * @param userId the user
 * @param participant {@code sharing-gateway}, {@code partner:<id>}, or
 * {@code partner:<id>:<webhook id>} for a follow-up
 * @param partner whether the participant is a partner
 * @param status the status reported
 * @param message what happened, for a person
 * @param counts what was done
 * @param published whether it was published
 */
@Document(PartnerStep.COLLECTION)
public record PartnerStep(@Id String id, UUID eventId, Instant occurredAt, String requestId, String userId,
		String participant, boolean partner, ErasureStepStatus status, String message, Map<String, Long> counts,
		boolean published) {

	public static final String COLLECTION = "partner_erasure_steps";

	static String pendingId(String requestId, String partnerId) {
		return requestId + "/1/" + partnerId;
	}

	static String ownId(String requestId) {
		return requestId + "/2";
	}

	static String escalationId(String requestId, String partnerId) {
		return requestId + "/3/" + partnerId;
	}

	static String confirmationId(String requestId, String partnerId) {
		return requestId + "/4/" + partnerId;
	}

	static String followUpId(String requestId, String partnerId, String webhookId, boolean escalation) {
		return requestId + "/5/" + partnerId + "/" + webhookId + (escalation ? "/escalated" : "/confirmed");
	}

	static String followUpPendingId(String requestId, String partnerId, String webhookId) {
		return requestId + "/5/" + partnerId + "/" + webhookId + "/announced";
	}

}
