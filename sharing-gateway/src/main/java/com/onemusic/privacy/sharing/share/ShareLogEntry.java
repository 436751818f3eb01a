package com.onemusic.privacy.sharing.share;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import com.onemusic.privacy.events.DataShared;
import com.onemusic.privacy.events.LegalDisclosure;
import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.events.ShareDecision;

/**
 * One share decision, allowed or denied, as the share log keeps it: the projection of its
 * DataShared event, which is the record of the decision. Holds the names of the fields,
 * never their values.
 *
 * @param id the decision id
 * @param eventId the id of its DataShared event
 * @param occurredAt when it was decided
 * @param userId the user whose data it was
 * @param partnerId the partner (or, for a legal disclosure, the recipient)
 * @param partnerCategory the partner's category
 * @param purpose the purpose asked for
 * @param allowed whether the data may go
 * @param reason the reason code
 * @param detail the reason, for a person
 * @param basis the consent the decision relied on, if any
 * @param sharedFields the fields that may go
 * @param removedFields the fields stripped because the contract does not allow them
 * @param dataCategories the data categories of the shared fields
 * @param sensitive whether sensitive personal information was asked for
 * @param legal the legal basis of a legal disclosure, else null
 */
@Document(ShareLogEntry.COLLECTION)
public record ShareLogEntry(@Id String id, UUID eventId, Instant occurredAt, String userId, String partnerId,
		PartnerCategory partnerCategory, String purpose, boolean allowed, String reason, String detail, Basis basis,
		List<String> sharedFields, List<String> removedFields, List<String> dataCategories, boolean sensitive,
		LegalOrder legal) {

	public static final String COLLECTION = "share_log";

	/**
	 * The stored form, as the mapping layer would write it.
	 * @return the document
	 */
	org.bson.Document toDocument() {
		org.bson.Document document = new org.bson.Document("_id", this.id).append("eventId", this.eventId)
			.append("occurredAt", java.util.Date.from(this.occurredAt))
			.append("userId", this.userId)
			.append("partnerId", this.partnerId)
			.append("partnerCategory", this.partnerCategory.name())
			.append("purpose", this.purpose)
			.append("allowed", this.allowed)
			.append("reason", this.reason)
			.append("detail", this.detail);
		if (this.basis != null) {
			document.append("basis",
					new org.bson.Document("scope", this.basis.scope())
						.append("policyVersion", this.basis.policyVersion())
						.append("sequence", this.basis.sequence()));
		}
		document.append("sharedFields", this.sharedFields)
			.append("removedFields", this.removedFields)
			.append("dataCategories", this.dataCategories)
			.append("sensitive", this.sensitive);
		if (this.legal != null) {
			document.append("legal",
					new org.bson.Document("legalBasis", this.legal.legalBasis().name())
						.append("reference", this.legal.reference())
						.append("authorizedBy", this.legal.authorizedBy())
						.append("justification", this.legal.justification())
						.append("recipient", this.legal.recipient()));
		}
		return document;
	}

	/**
	 * The entry of a published decision.
	 * @param event the event
	 * @return the entry
	 */
	public static ShareLogEntry of(DataShared event) {
		Basis basis = (event.getConsentBasis() != null) ? new Basis(event.getConsentBasis().getScope(),
				event.getConsentBasis().getPolicyVersion(), event.getConsentBasis().getSequence()) : null;
		LegalOrder legal = null;
		if (event.getLegalDisclosure() != null) {
			LegalDisclosure disclosure = event.getLegalDisclosure();
			legal = new LegalOrder(LegalBasis.valueOf(disclosure.getLegalBasis()), disclosure.getReference(),
					disclosure.getAuthorizedBy(), disclosure.getJustification(), disclosure.getRecipient());
		}
		return new ShareLogEntry(event.getDecisionId(), event.getEventId(), event.getOccurredAt(), event.getUserId(),
				event.getPartnerId(), event.getPartnerCategory(), event.getPurpose(),
				event.getDecision() == ShareDecision.ALLOWED, event.getReason(), event.getDetail(), basis,
				List.copyOf(event.getSharedFields()), List.copyOf(event.getRemovedFields()),
				List.copyOf(event.getDataCategories()), event.getSensitive(), legal);
	}

	/**
	 * A consent a decision relied on.
	 *
	 * @param scope the scope
	 * @param policyVersion the policy version it was given under
	 * @param sequence its ledger sequence number
	 */
	public record Basis(String scope, String policyVersion, long sequence) {

	}

	/**
	 * The justification of a disclosure under a legal order (policy 5.1.2, 5.3, 5.4).
	 *
	 * @param legalBasis the ground
	 * @param reference the order's reference (document number)
	 * @param authorizedBy who in the company authorized it
	 * @param justification why it is required
	 * @param recipient the authority or party that receives the data
	 */
	public record LegalOrder(LegalBasis legalBasis, String reference, String authorizedBy, String justification,
			String recipient) {

	}

	/** The grounds on which data is disclosed without consent (policy 5.3, 5.4). */
	public enum LegalBasis {

		/** National security or national defence. */
		NATIONAL_SECURITY,
		/** Public safety, public health or a major public interest. */
		PUBLIC_SAFETY_OR_HEALTH,
		/** Criminal investigation, prosecution, trial or enforcement of a judgment. */
		CRIMINAL_INVESTIGATION,
		/** Protecting the life or property of the user or another person. */
		LIFE_OR_PROPERTY,
		/** A duty under a law or regulation, or a request of a competent authority. */
		LEGAL_OBLIGATION,
		/**
		 * Resolving a dispute or litigation the user is party to (policy 5.1.5, 5.1.6).
		 */
		DISPUTE_RESOLUTION

	}

}
