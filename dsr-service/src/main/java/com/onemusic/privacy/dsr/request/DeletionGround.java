package com.onemusic.privacy.dsr.request;

/** The four grounds on which the policy (8.1.3) lets a user ask for deletion. */
public enum DeletionGround {

	/** (1) The account is closed. */
	ACCOUNT_CLOSURE,

	/** (2) The processing breaks laws or regulations. */
	UNLAWFUL_PROCESSING,

	/** (3) Collected or used without consent, or against the agreement. */
	BREACH_OF_AGREEMENT,

	/** (4) The service is no longer provided. */
	SERVICE_ENDED

}
