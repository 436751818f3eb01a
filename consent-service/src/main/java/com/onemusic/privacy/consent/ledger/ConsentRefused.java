package com.onemusic.privacy.consent.ledger;

import java.util.List;

/**
 * A consent change the rules do not allow, with the reason.
 */
public class ConsentRefused extends RuntimeException {

	private final Reason reason;

	private final List<String> items;

	public ConsentRefused(Reason reason, String detail, List<String> items) {
		super(detail);
		this.reason = reason;
		this.items = List.copyOf(items);
	}

	public ConsentRefused(Reason reason, String detail) {
		this(reason, detail, List.of());
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * What the refusal is about, e.g. the unknown scope codes.
	 * @return the items, possibly empty
	 */
	public List<String> items() {
		return this.items;
	}

	/** Why a change is refused. */
	public enum Reason {

		/** The user id is not of the accepted form. */
		INVALID_USER_ID(true),
		/** No changes, or more than allowed in one request. */
		INVALID_BATCH(true),
		/** A scope code is not in the catalog. */
		UNKNOWN_SCOPE(true),
		/** The scope is strictly necessary processing: nothing to consent to. */
		CONSENT_NOT_APPLICABLE(true),
		/** The policy version was never published. */
		UNKNOWN_POLICY_VERSION(true),
		/** The change is dated in the future. */
		INVALID_TIME(true),
		/** Only the system records changes with this method. */
		METHOD_NOT_ALLOWED(true),
		/** A minor's consent needs a guardian's. */
		GUARDIAN_REQUIRED(false),
		/** The account is closed: no change is recorded any more. */
		ACCOUNT_CLOSED(false);

		private final boolean badInput;

		Reason(boolean badInput) {
			this.badInput = badInput;
		}

		/**
		 * Whether the request itself is malformed (else it is well-formed but refused).
		 * @return true for bad input
		 */
		public boolean badInput() {
			return this.badInput;
		}

		/**
		 * The problem type name.
		 * @return e.g. {@code unknown-scope}
		 */
		public String typeName() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
