package com.onemusic.privacy.dsr.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in free text shown to operators (policy 4.2.3): mainland mobile
 * numbers as 138****5678, resident identity numbers as 1101**********123X, email
 * addresses as z***@example.com.
 */
final class TextMasking {

	private static final Pattern IDENTITY_NUMBER = Pattern.compile("(?<!\\d)(\\d{4})\\d{10}(\\d{3}[\\dXx])(?!\\d)");

	private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(1[3-9]\\d)\\d{4}(\\d{4})(?!\\d)");

	private static final Pattern EMAIL = Pattern.compile("([^@\\s])[^@\\s]*(@[^@\\s]+\\.[^@\\s]+)");

	private TextMasking() {
	}

	static String mask(String text) {
		if (text == null) {
			return null;
		}
		String masked = IDENTITY_NUMBER.matcher(text).replaceAll("$1**********$2");
		masked = MOBILE.matcher(masked).replaceAll("$1****$2");
		Matcher email = EMAIL.matcher(masked);
		return email.replaceAll("$1***$2");
	}

}
