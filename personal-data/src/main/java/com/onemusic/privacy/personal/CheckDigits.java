package com.onemusic.privacy.personal;

import java.time.DateTimeException;
import java.time.LocalDate;

/** The check-digit rules the detectors validate matches with. */
public final class CheckDigits {

	private static final int[] RESIDENT_ID_WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

	private static final String RESIDENT_ID_CHECKS = "10X98765432";

	private static final String CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

	private static final int[] CREDIT_CODE_WEIGHTS = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

	private CheckDigits() {
	}

	/**
	 * Whether an 18-character resident identity number is valid: 17 digits, a birth date
	 * that exists and is not in the future, and the ISO 7064 MOD 11-2 check character.
	 * @param number the number
	 * @param today today, to refuse birth dates in the future
	 * @return true when valid
	 */
	public static boolean residentId(String number, LocalDate today) {
		if (number.length() != 18) {
			return false;
		}
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			char c = number.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			sum += (c - '0') * RESIDENT_ID_WEIGHTS[i];
		}
		char check = Character.toUpperCase(number.charAt(17));
		if (RESIDENT_ID_CHECKS.charAt(sum % 11) != check) {
			return false;
		}
		try {
			LocalDate birth = LocalDate.of(Integer.parseInt(number.substring(6, 10)),
					Integer.parseInt(number.substring(10, 12)), Integer.parseInt(number.substring(12, 14)));
			return birth.getYear() >= 1900 && !birth.isAfter(today);
		}
		catch (DateTimeException ex) {
			return false;
		}
	}

	/**
	 * Whether an 18-character unified social credit code (GB 32100-2015) has the right
	 * check character.
	 * @param code the code, upper case
	 * @return true when valid
	 */
	public static boolean socialCreditCode(String code) {
		if (code.length() != 18) {
			return false;
		}
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			int value = CREDIT_CODE_CHARACTERS.indexOf(code.charAt(i));
			if (value < 0) {
				return false;
			}
			sum += value * CREDIT_CODE_WEIGHTS[i];
		}
		int check = 31 - sum % 31;
		return CREDIT_CODE_CHARACTERS.charAt((check == 31) ? 0 : check) == code.charAt(17);
	}

	/**
	 * Whether a string of digits passes the Luhn check (bank cards, IMEI).
	 * @param digits the digits
	 * @return true when valid
	 */
	public static boolean luhn(String digits) {
		int sum = 0;
		boolean twice = false;
		for (int i = digits.length() - 1; i >= 0; i--) {
			char c = digits.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			int digit = c - '0';
			if (twice) {
				digit *= 2;
				if (digit > 9) {
					digit -= 9;
				}
			}
			sum += digit;
			twice = !twice;
		}
		return !digits.isEmpty() && sum % 10 == 0;
	}

}
