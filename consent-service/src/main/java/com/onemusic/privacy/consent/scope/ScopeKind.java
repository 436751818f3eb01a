package com.onemusic.privacy.consent.scope;

/** What a consent scope is about. */
public enum ScopeKind {

	/**
	 * Strictly necessary processing (policy 3.1): needs no consent, cannot be refused.
	 */
	NECESSARY,

	/** A purpose of processing (personalised recommendation, marketing, profiling, …). */
	PURPOSE,

	/** A device permission and its purpose (policy 3.2.2); closing it withdraws it. */
	DEVICE_PERMISSION,

	/** Sharing with a category of partners (policy 5.1.3, 5.1.4). */
	SHARING

}
