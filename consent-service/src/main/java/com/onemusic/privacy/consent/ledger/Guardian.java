package com.onemusic.privacy.consent.ledger;

/**
 * The guardian who consented for a minor (PIPL art. 31).
 *
 * @param guardianId the guardian's user or identity reference
 * @param relationship how the guardian relates to the minor
 */
public record Guardian(String guardianId, Relationship relationship) {

	/** Who may consent for a minor. */
	public enum Relationship {

		PARENT, LEGAL_GUARDIAN

	}

}
