package com.onemusic.privacy.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTests {

	@Test
	void aFoundPortIsBelowTheRangeOfOutgoingConnectionsAndCanBeBound() throws IOException {
		int below = FreePorts.ephemeralLow();
		for (int i = 0; i < 20; i++) {
			int port = FreePorts.find();
			assertThat(port).isBetween(FreePorts.LOWEST, below - 1);
			try (ServerSocket server = new ServerSocket()) {
				server.bind(new InetSocketAddress(port));
				assertThat(server.getLocalPort()).isEqualTo(port);
			}
		}
	}

	@Test
	void outgoingConnectionsTakeTheirPortsFromAboveIt() throws IOException {
		try (ServerSocket server = new ServerSocket(0);
				Socket client = new Socket("127.0.0.1", server.getLocalPort())) {
			assertThat(client.getLocalPort()).as("the range read is the one the kernel uses")
				.isGreaterThanOrEqualTo(FreePorts.ephemeralLow());
		}
	}

}
