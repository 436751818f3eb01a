package com.onemusic.privacy.anonymizer.rules;

import java.time.LocalDate;

/**
 * What happens to one field of a raw event before anything is stored. Each transformation
 * turns a value into its stored form, or null to store nothing.
 */
public sealed interface Transformation {

	/**
	 * The stored form of a value.
	 * @param value the raw value (never null)
	 * @param context the user's keyed pseudonymizer and the text detector
	 * @return the stored value, or null to drop it
	 */
	Object apply(Object value, Context context);

	/** What a transformation needs besides the value. */
	interface Context {

		/**
		 * A keyed pseudonym of a value, under the user's own key.
		 * @param field the field, so equal values of different fields differ
		 * @param value the value
		 * @return the pseudonym
		 */
		String pseudonym(String field, String value);

		/**
		 * The text with personal data replaced by its kind.
		 * @param text the text
		 * @return the scrubbed text
		 */
		String scrub(String text);

	}

	/** Keeps the value as it is. */
	record Keep() implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return value;
		}

	}

	/** Stores nothing. */
	record Drop() implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return null;
		}

	}

	/** A keyed pseudonym under the user's key (never a bare hash). */
	record Pseudonym(String field) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return context.pseudonym(this.field, value.toString());
		}

	}

	/** Free text with the personal data found in it replaced by its kind. */
	record Scrub() implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return context.scrub(value.toString());
		}

	}

	/**
	 * Keeps the first and last characters, stars the rest.
	 *
	 * @param first characters kept at the start
	 * @param last characters kept at the end
	 */
	record Mask(int first, int last) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return com.onemusic.privacy.personal.Masking.keep(value.toString(), this.first, this.last);
		}

	}

	/**
	 * Replaces any value by a constant.
	 *
	 * @param replacement the constant
	 */
	record Replace(String replacement) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return this.replacement;
		}

	}

	/**
	 * A date generalized to its year ({@code 1990}) or month ({@code 1990-03}).
	 *
	 * @param toMonth whether the month is kept
	 */
	record GeneralizeDate(boolean toMonth) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			LocalDate date = (value instanceof LocalDate local) ? local : LocalDate.parse(value.toString());
			return this.toMonth ? String.format("%04d-%02d", date.getYear(), date.getMonthValue())
					: String.valueOf(date.getYear());
		}

	}

	/**
	 * A number generalized to the band it falls in, e.g. {@code 20-29} for width 10.
	 *
	 * @param width the width of a band
	 */
	record GeneralizeNumber(long width) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			long number = (long) Math.floor(Double.parseDouble(value.toString()));
			long low = Math.floorDiv(number, this.width) * this.width;
			return low + "-" + (low + this.width - 1);
		}

	}

	/**
	 * Coordinates generalized to the south-west corner of a grid cell of the given size
	 * in degrees (0.01 is about 1 km).
	 *
	 * @param cell the cell size in degrees
	 */
	record GeneralizeGeo(double cell) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			double[] point = (double[]) value;
			return java.util.List.of(Math.floor(point[0] / this.cell) * this.cell,
					Math.floor(point[1] / this.cell) * this.cell);
		}

	}

	/**
	 * An IP address reduced to its network prefix: {@code 192.168.1.0/24},
	 * {@code 2001:db8:85a3::/48}.
	 *
	 * @param v4Bits prefix length kept of IPv4 addresses
	 * @param v6Bits prefix length kept of IPv6 addresses
	 */
	record GeneralizeIp(int v4Bits, int v6Bits) implements Transformation {

		@Override
		public Object apply(Object value, Context context) {
			return IpPrefixes.prefix(value.toString(), this.v4Bits, this.v6Bits);
		}

	}

}
