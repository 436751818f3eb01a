package com.onemusic.privacy.dsr.verification;

import java.util.regex.Pattern;

import com.onemusic.privacy.personal.Masking;

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
		return (this.kind == Kind.SMS) ? Masking.mobile(this.address) : Masking.email(this.address);
	}

}
