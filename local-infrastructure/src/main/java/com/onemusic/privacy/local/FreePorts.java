package com.onemusic.privacy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free ports for servers that must be told their port up front.
 *
 * <p>
 * A port is taken below the range the kernel hands out to outgoing connections: a port
 * from that range (what binding port 0 gives) can be taken by any client connection of
 * this machine between the moment it is found free and the moment the server binds it,
 * and a system starting many clients at once (Kafka, MongoDB, HTTP) makes that likely
 * enough to see.
 */
public final class FreePorts {

	/** The lowest port handed out. */
	static final int LOWEST = 10_000;

	private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

	private FreePorts() {
	}

	/**
	 * A port free now on every address, below the ephemeral range.
	 * @return the port
	 */
	public static int find() {
		int below = ephemeralLow();
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = LOWEST + ThreadLocalRandom.current().nextInt(below - LOWEST);
			if (free(port)) {
				return port;
			}
		}
		throw new UncheckedIOException(new IOException("No free port between " + LOWEST + " and " + below));
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

	/** Where the kernel's range for outgoing connections starts. */
	static int ephemeralLow() {
		try {
			String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
			int low = Integer.parseInt(range[0]);
			return (low > LOWEST + 1000) ? low : DEFAULT_EPHEMERAL_LOW;
		}
		catch (IOException | RuntimeException unknown) {
			return DEFAULT_EPHEMERAL_LOW;
		}
	}

}
