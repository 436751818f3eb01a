package com.onemusic.privacy.dsr.request;

/** Where one participant's part of an erasure stands. */
public enum StepStatus {

	/** Asked, nothing heard yet. */
	ASKED(0),

	/** The participant acknowledged and is working on it. */
	PENDING(1),

	/** It failed; the participant can be asked again. */
	FAILED(2),

	/** Erased. */
	DONE(3),

	/** The participant held nothing of the user. */
	NOTHING_HELD(3),

	/** Erased except data that must be kept, each item explained. */
	PARTIALLY_RETAINED(3),

	/**
	 * The participant refuses (e.g. a partner under its own legal duty), with its reason.
	 */
	REFUSED(3);

	private final int rank;

	StepStatus(int rank) {
		this.rank = rank;
	}

	/**
	 * Whether the participant is finished.
	 * @return true for an end state
	 */
	public boolean finished() {
		return this.rank == 3;
	}

	/**
	 * Whether the step keeps data or was refused, so the request completes only
	 * partially.
	 * @return true when something is kept
	 */
	public boolean keepsData() {
		return this == PARTIALLY_RETAINED || this == REFUSED;
	}

	int rank() {
		return this.rank;
	}

}
