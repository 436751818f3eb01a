package com.onemusic.privacy.personal.logging;

import java.time.Clock;
import java.util.EnumSet;
import java.util.regex.Pattern;

import com.onemusic.privacy.personal.PersonalDataDetector;
import com.onemusic.privacy.personal.PersonalDataKind;

/**
 * What no log line may hold, masked: mobile numbers, resident identity numbers, emails,
 * bank cards, device identifiers (IMEI, MAC address) and credentials (bearer tokens,
 * JWTs, webhook secrets). Identifiers in UUID form are left, since every event and
 * request id has that form; the services never log device identifiers in that form.
 */
public final class LogMasking {

	private static final PersonalDataDetector DETECTOR = new PersonalDataDetector(Clock.systemUTC(),
			EnumSet.of(PersonalDataKind.MOBILE_NUMBER, PersonalDataKind.RESIDENT_ID, PersonalDataKind.EMAIL,
					PersonalDataKind.BANK_CARD, PersonalDataKind.IMEI, PersonalDataKind.MAC_ADDRESS));

	private static final Pattern CREDENTIALS = Pattern.compile(
			"(?i)(?:bearer\\s+[A-Za-z0-9._~+/-]+=*)|(?:eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*)|(?:whsec_[A-Za-z0-9+/=]+)");

	private LogMasking() {
	}

	/**
	 * A text as it may be logged.
	 * @param text the text, or null
	 * @return the text with personal data and credentials masked
	 */
	public static String mask(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String masked = CREDENTIALS.matcher(text).replaceAll("[CREDENTIAL]");
		return DETECTOR.mask(masked);
	}

}
