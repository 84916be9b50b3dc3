package ai.netsky.bench;

/** The bare-JVM floor: the cheapest Java program, started the same way netsky is. */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
