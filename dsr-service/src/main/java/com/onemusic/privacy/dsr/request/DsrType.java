package com.onemusic.privacy.dsr.request;

/** What a data subject asks for (policy 8.1). */
public enum DsrType {

	/** A copy of one's personal data (8.1.1). */
	ACCESS,

	/** Correction or completion of one's data (8.1.2). */
	RECTIFICATION,

	/** Deletion on one of the grounds of 8.1.3. */
	DELETION,

	/** Closing the account (8.1.5), which deletes or anonymizes the personal data. */
	ACCOUNT_CLOSURE,

	/** Withdrawing or narrowing consent (8.1.4). */
	CONSENT_WITHDRAWAL;

	/**
	 * Whether the request erases data through the participants.
	 * @return true for deletion and account closure
	 */
	public boolean erases() {
		return this == DELETION || this == ACCOUNT_CLOSURE;
	}

}
