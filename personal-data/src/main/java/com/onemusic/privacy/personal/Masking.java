package com.onemusic.privacy.personal;

import java.util.Set;

/**
 * Masks personal data for display (policy 4.2.3): what an operator or a screen shows
 * keeps only what is needed to recognise the value.
 */
public final class Masking {

	/** Two-character Chinese surnames, kept whole. */
	private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "尉迟",
			"长孙", "宇文", "夏侯", "轩辕", "端木", "公孙", "独孤", "南宫", "西门", "司徒", "司空", "澹台", "公冶", "呼延", "闻人", "赫连", "申屠", "太史",
			"钟离", "濮阳", "淳于", "单于", "百里", "东郭", "拓跋", "万俟");

	private Masking() {
	}

	/**
	 * A mainland mobile number: the first three and last four digits, {@code 138****5678}
	 * (a +86 prefix is kept).
	 * @param number the number
	 * @return the masked number
	 */
	public static String mobile(String number) {
		int digits = number.length();
		if (digits < 7) {
			return "*".repeat(digits);
		}
		int start = Math.max(0, digits - 11);
		return number.substring(0, start + 3) + "****" + number.substring(digits - 4);
	}

	/**
	 * An email address: the first character of the local part and the domain,
	 * {@code z***@example.com}.
	 * @param address the address
	 * @return the masked address
	 */
	public static String email(String address) {
		int at = address.indexOf('@');
		if (at <= 0) {
			return "***";
		}
		return address.charAt(0) + "***" + address.substring(at);
	}

	/**
	 * A resident identity number: the region (first six digits) and the check character,
	 * {@code 110105***********X}.
	 * @param number the number
	 * @return the masked number
	 */
	public static String residentId(String number) {
		if (number.length() < 8) {
			return "*".repeat(number.length());
		}
		return number.substring(0, 6) + "*".repeat(number.length() - 7) + number.charAt(number.length() - 1);
	}

	/**
	 * A bank card: the last four digits, {@code ***************0128}.
	 * @param number the number (spaces and hyphens dropped)
	 * @return the masked number
	 */
	public static String bankCard(String number) {
		String digits = number.replaceAll("[ -]", "");
		return "*".repeat(Math.max(0, digits.length() - 4)) + digits.substring(Math.max(0, digits.length() - 4));
	}

	/**
	 * A person's name: the surname (two characters for a compound surname), the rest
	 * starred: {@code 张*}, {@code 欧阳**}; a name in Latin letters keeps its first letter.
	 * @param name the name
	 * @return the masked name
	 */
	public static String name(String name) {
		String trimmed = name.strip();
		if (trimmed.isEmpty()) {
			return trimmed;
		}
		int[] codePoints = trimmed.codePoints().toArray();
		int keep = 1;
		if (codePoints.length > 2 && COMPOUND_SURNAMES.contains(new String(codePoints, 0, 2))) {
			keep = 2;
		}
		return new String(codePoints, 0, keep) + "*".repeat(Math.max(1, codePoints.length - keep));
	}

	/**
	 * Keeps the first and last characters of a value and stars the rest.
	 * @param value the value
	 * @param first characters kept at the start
	 * @param last characters kept at the end
	 * @return the masked value
	 */
	public static String keep(String value, int first, int last) {
		if (first < 0 || last < 0) {
			throw new IllegalArgumentException("first and last must not be negative");
		}
		if (first + last >= value.length()) {
			return "*".repeat(value.length());
		}
		return value.substring(0, first) + "*".repeat(value.length() - first - last)
				+ value.substring(value.length() - last);
	}

	/**
	 * A value of a kind the detector finds, masked as that kind is shown.
	 * @param kind the kind
	 * @param value the value
	 * @return the masked value
	 */
	public static String mask(PersonalDataKind kind, String value) {
		return switch (kind) {
			case MOBILE_NUMBER -> mobile(value);
			case EMAIL -> email(value);
			case RESIDENT_ID -> residentId(value);
			case BANK_CARD -> bankCard(value);
			case SOCIAL_CREDIT_CODE -> keep(value, 8, 1);
			case IMEI -> keep(value, 8, 0);
			case IPV4 -> value.substring(0, value.indexOf('.', value.indexOf('.') + 1)) + ".*.*";
			case IPV6 -> value.substring(0, Math.max(0, nthIndex(value, ':', 2))) + ":*";
			case MAC_ADDRESS -> value.substring(0, 8) + value.substring(8).replaceAll("[0-9A-Fa-f]", "*");
			case DEVICE_UUID -> value.substring(0, 8) + value.substring(8).replaceAll("[0-9A-Fa-f]", "*");
		};
	}

	private static int nthIndex(String value, char c, int n) {
		int index = -1;
		for (int i = 0; i < n; i++) {
			index = value.indexOf(c, index + 1);
			if (index < 0) {
				return value.length();
			}
		}
		return index;
	}

}
