package ai.netsky.lifecycle.stub;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Wraps a client transport to hand {@code notifications/claude/channel} to the stub: the SDK client
 * has no hook for a vendor notification, so it is tapped off the wire here (as Claude Code handles
 * it) and everything else passes through untouched.
 */
final class ChannelTapTransport implements McpClientTransport {
    static final String CHANNEL = "notifications/claude/channel";

    private final McpClientTransport delegate;
    private final Consumer<McpSchema.JSONRPCNotification> tap;

    ChannelTapTransport(McpClientTransport delegate, Consumer<McpSchema.JSONRPCNotification> tap) {
        this.delegate = delegate;
        this.tap = tap;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(in -> in.flatMap(msg -> {
            if (msg instanceof McpSchema.JSONRPCNotification n && CHANNEL.equals(n.method())) {
                return Mono.fromRunnable(() -> tap.accept(n)).then(Mono.empty());
            }
            return handler.apply(Mono.just(msg));
        }));
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return delegate.sendMessage(message);
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
