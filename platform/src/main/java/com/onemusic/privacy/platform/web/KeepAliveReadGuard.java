package com.onemusic.privacy.platform.web;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Keeps HTTP/1.1 keep-alive connections reading. Reactor Netty's server reads on demand
 * and re-arms the read when a request's operations terminate; when the next request on a
 * connection arrives before the previous operations have terminated (which happens when
 * the answer is completed off the event loop, e.g. by the MongoDB driver's thread), it is
 * buffered, and draining that buffer can end without a read being re-armed: the
 * connection then never reads the request after, and its caller waits until it gives up
 * (reactor-netty issues 4188 and 4361, fixed upstream after the releases this build can
 * use). Measured here before this guard: 7 to 21 of 600 sequential requests on one
 * keep-alive connection unanswered, with the JDK's client as with Reactor Netty's; with
 * it, none of 3,000. {@code privacy.http.keep-alive-read-guard=false} turns it off.
 * <p>
 * The guard asks the channel for one more read shortly after each complete response has
 * been written. A read the server did not need is harmless: a request it brings is
 * handled as a pipelined request would be.
 */
public final class KeepAliveReadGuard implements NettyServerCustomizer {

	/** Name of the guard in the channel pipeline. */
	public static final String HANDLER_NAME = "privacy.keepAliveReadGuard";

	private static final long DELAY_MILLIS = 1;

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
					&& channel.pipeline().get(HANDLER_NAME) == null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, Handler.INSTANCE);
			}
		});
	}

	@ChannelHandler.Sharable
	static final class Handler extends ChannelDuplexHandler {

		static final Handler INSTANCE = new Handler();

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof LastHttpContent) {
				ChannelPromise written = promise.unvoid();
				written.addListener((future) -> {
					if (future.isSuccess()) {
						ctx.channel().eventLoop().schedule(() -> {
							if (ctx.channel().isActive()) {
								ctx.channel().read();
							}
						}, DELAY_MILLIS, TimeUnit.MILLISECONDS);
					}
				});
				super.write(ctx, msg, written);
				return;
			}
			super.write(ctx, msg, promise);
		}

	}

}
