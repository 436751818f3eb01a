package com.onemusic.privacy.personal;

/** Kinds of personal data the detectors find in text. */
public enum PersonalDataKind {

	/** A mainland mobile number, 11 digits from 13x to 19x, optionally with +86. */
	MOBILE_NUMBER,

	/**
	 * An 18-character resident identity number with a valid birth date and check
	 * character.
	 */
	RESIDENT_ID,

	/** A unified social credit code (GB 32100) with a valid check character. */
	SOCIAL_CREDIT_CODE,

	/** A bank card number, 16 to 19 digits, Luhn-valid. */
	BANK_CARD,

	/** An IMEI, 15 digits, Luhn-valid. */
	IMEI,

	/** An email address. */
	EMAIL,

	/** An IPv4 address. */
	IPV4,

	/** An IPv6 address. */
	IPV6,

	/** A MAC address. */
	MAC_ADDRESS,

	/** A UUID, the form of IDFA and similar device identifiers. */
	DEVICE_UUID

}
