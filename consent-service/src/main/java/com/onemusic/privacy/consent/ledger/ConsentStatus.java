package com.onemusic.privacy.consent.ledger;

/** Whether a consent is given. */
public enum ConsentStatus {

	GRANTED, WITHDRAWN

}
