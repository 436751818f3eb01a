package com.onemusic.privacy.dsr.verification;

import java.util.regex.Pattern;

/**
 * Where a one-time code goes: a mainland mobile number or an email address. Used to send
 * the code and then kept only masked.
 *
 * @param kind SMS or EMAIL
 * @param address the number or address
 */
public record Contact(Kind kind, String address) {

	private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");

	/** How a code is delivered. */
	public enum Kind {

		SMS, EMAIL

	}

	/**
	 * Checks the address fits its kind.
	 * @return whether it is valid
	 */
	public boolean valid() {
		return this.kind != null && this.address != null && ((this.kind == Kind.SMS)
				? MOBILE.matcher(this.address).matches() : EMAIL.matcher(this.address).matches());
	}

	/**
	 * The address as operators may see it (policy 4.2.3): 138****5678, z***@example.com.
	 * @return the masked address
	 */
	public String masked() {
		if (this.kind == Kind.SMS) {
			return this.address.substring(0, 3) + "****" + this.address.substring(this.address.length() - 4);
		}
		int at = this.address.indexOf('@');
		return this.address.charAt(0) + "***" + this.address.substring(at);
	}

}
