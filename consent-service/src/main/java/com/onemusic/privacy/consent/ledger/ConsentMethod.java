package com.onemusic.privacy.consent.ledger;

/** How a consent change was expressed. */
public enum ConsentMethod {

	EXPLICIT_TICK, OS_PERMISSION_PROMPT, SETTINGS_TOGGLE, UNSUBSCRIBE_LINK, CUSTOMER_SERVICE, GUARDIAN,

	/** Recorded by the system when an account is closed or its data deleted. */
	ACCOUNT_CLOSURE,

	/** Recorded by the system because of a policy change. */
	POLICY_CHANGE,

	/** Recorded by the system for a verified data-subject request (policy 8.1.4). */
	DATA_SUBJECT_REQUEST;

	/**
	 * Whether only the system itself records changes with this method.
	 * @return true for account closure, policy change and data-subject requests
	 */
	public boolean systemOnly() {
		return this == ACCOUNT_CLOSURE || this == POLICY_CHANGE || this == DATA_SUBJECT_REQUEST;
	}

}
