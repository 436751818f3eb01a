package com.onemusic.privacy.dsr.request;

/** How an open, verified request stands against its deadline. */
public enum SlaState {

	/** More than the due-soon threshold left. */
	ON_TRACK,

	/** A few working days left, or due today. */
	DUE_SOON,

	/** Past its due date. */
	OVERDUE

}
