package com.onemusic.privacy.anonymizer.rules;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Network prefixes of IP address literals, without any name lookup. */
final class IpPrefixes {

	private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

	private IpPrefixes() {
	}

	/**
	 * The prefix of an address, or null when the value is not an address literal (it is
	 * then dropped rather than stored as it came).
	 */
	static String prefix(String address, int v4Bits, int v6Bits) {
		if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
			return null;
		}
		byte[] bytes;
		try {
			// A literal of digits, dots and colons is parsed, never looked up.
			bytes = InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException | SecurityException ex) {
			return null;
		}
		int bits = (bytes.length == 4) ? v4Bits : v6Bits;
		BigInteger value = new BigInteger(1, bytes);
		int total = bytes.length * 8;
		BigInteger mask = BigInteger.ONE.shiftLeft(total)
			.subtract(BigInteger.ONE)
			.shiftRight(total - bits)
			.shiftLeft(total - bits);
		byte[] masked = value.and(mask).toByteArray();
		byte[] full = new byte[bytes.length];
		int copy = Math.min(masked.length, full.length);
		System.arraycopy(masked, masked.length - copy, full, full.length - copy, copy);
		try {
			return InetAddress.getByAddress(full).getHostAddress() + "/" + bits;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
