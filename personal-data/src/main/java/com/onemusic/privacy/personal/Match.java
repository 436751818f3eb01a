package com.onemusic.privacy.personal;

/**
 * Personal data found in a text.
 *
 * @param kind what it is
 * @param start its first character
 * @param end after its last character
 * @param value the matched text
 */
public record Match(PersonalDataKind kind, int start, int end, String value) {

	boolean overlaps(Match other) {
		return this.start < other.end && other.start < this.end;
	}

}
