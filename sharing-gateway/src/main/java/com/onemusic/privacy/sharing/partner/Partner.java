package com.onemusic.privacy.sharing.partner;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.sharing.partner.PartnerSpec.PurposeContract;

/**
 * A partner as stored, checked.
 *
 * @param id the partner id
 * @param name display name
 * @param category the partner category
 * @param active whether data may be shared with it
 * @param webhookUrl where deletion webhooks go
 * @param webhookSecret the secret webhooks are signed with
 * @param previousWebhookSecret the secret it replaces while it is rotated, else null
 * @param callbackSecrets the secrets its callbacks may be signed with
 * @param purposes the purposes and their contracts
 * @param managedBy {@code configuration} or {@code api}
 * @param updatedAt when it was last written
 */
@Document(Partner.COLLECTION)
public record Partner(@Id String id, String name, PartnerCategory category, boolean active, String webhookUrl,
		String webhookSecret, String previousWebhookSecret, List<String> callbackSecrets,
		Map<String, PurposeContract> purposes, String managedBy, Instant updatedAt) {

	public static final String COLLECTION = "partners";

	public static final String CONFIGURATION = "configuration";

	public static final String API = "api";

	/** The participant name of a partner in ErasureStepReported. */
	public String participant() {
		return participant(this.id);
	}

	public static String participant(String partnerId) {
		return "partner:" + partnerId;
	}

	/**
	 * A partner's follow-up of a deletion request as an erasure participant of its own:
	 * {@code partner:<id>:<webhook id>}, so that its outcome is a step of the request
	 * beside the partner's first confirmation (partner ids hold no colon).
	 * @param partnerId the partner
	 * @param webhookId the follow-up's webhook id
	 * @return the participant's name
	 */
	public static String followUpParticipant(String partnerId, String webhookId) {
		return participant(partnerId) + ":" + webhookId;
	}

	/**
	 * The webhook id of a follow-up participant.
	 * @param participant a participant's name
	 * @return the webhook id, or null when the name is not that of a follow-up
	 */
	public static String followUpOf(String participant) {
		if (!participant.startsWith("partner:")) {
			return null;
		}
		int colon = participant.indexOf(':', "partner:".length());
		return (colon > 0 && colon < participant.length() - 1) ? participant.substring(colon + 1) : null;
	}

	@Override
	public String toString() {
		return "Partner[id=" + this.id + ", category=" + this.category + ", active=" + this.active + "]";
	}

}
