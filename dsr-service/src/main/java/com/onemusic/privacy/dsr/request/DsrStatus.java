package com.onemusic.privacy.dsr.request;

/** Where a data-subject request stands. */
public enum DsrStatus {

	/** Received, identity not verified yet. */
	SUBMITTED,

	/** Identity verified; the deadline runs. */
	IDENTITY_VERIFIED,

	/** Refused, with a reason (e.g. identity could not be verified). */
	REJECTED,

	/** Being carried out. */
	IN_PROGRESS,

	/** Done. */
	COMPLETED,

	/** Done, except data that must be kept, each item explained. */
	PARTIALLY_COMPLETED,

	/** Never verified in time. */
	EXPIRED;

	/**
	 * Whether the request is still open.
	 * @return false once it reached an end
	 */
	public boolean open() {
		return this == SUBMITTED || this == IDENTITY_VERIFIED || this == IN_PROGRESS;
	}

}
