package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class AgentIdTest {
    @Test
    void validIdsFollowNetskysRule() {
        assertTrue(AgentId.isValid("agent0"));
        assertTrue(AgentId.isValid("agent12"));
        assertTrue(AgentId.isValid("agentinfinity"));
        assertFalse(AgentId.isValid("agent"));
        assertFalse(AgentId.isValid("Agent1"));
        assertFalse(AgentId.isValid("agent-1"));
        assertFalse(AgentId.isValid("agent1/../x"));
        assertFalse(AgentId.isValid("../agent1"));
        assertFalse(AgentId.isValid(null));
    }

    @Test
    void agentSessionsAreAgentPlusDigitsOnly() {
        // The seed's is_agent_session cases.
        assertTrue(AgentId.isAgentSession("agent0"));
        assertTrue(AgentId.isAgentSession("agent5"));
        assertTrue(AgentId.isAgentSession("agent42"));
        assertFalse(AgentId.isAgentSession("agentinfinity"));
        assertFalse(AgentId.isAgentSession("agent"));
        assertFalse(AgentId.isAgentSession("agentfoo"));
        assertFalse(AgentId.isAgentSession("foo"));
        assertFalse(AgentId.isAgentSession("netsky-ticker"));
    }

    @Test
    void rolesAndNumbers() {
        assertEquals(AgentId.Role.ROOT, AgentId.fromNumber(0).role());
        assertEquals(AgentId.Role.CLONE, AgentId.fromNumber(7).role());
        assertEquals(7, AgentId.fromNumber(7).number().getAsInt());
        assertEquals(AgentId.Role.WATCHDOG, AgentId.AGENTINFINITY.role());
        assertEquals(AgentId.Role.OTHER, AgentId.of("agentfoo").role());
        assertThrows(NetskyException.class, () -> AgentId.fromNumber(-1));
    }

    @Test
    void invalidIdErrorNamesTheIdAndTheRule() {
        var e = assertThrows(NetskyException.class, () -> AgentId.of("../etc"));
        assertTrue(e.getMessage().contains("'../etc'"), e.getMessage());
        assertTrue(e.getMessage().contains("agent0"), e.getMessage());
    }

    @Property
    void everyCloneNumberRoundTrips(@ForAll @IntRange(min = 0, max = 1_000_000) int n) {
        AgentId id = AgentId.fromNumber(n);
        assertTrue(AgentId.isAgentSession(id.name()));
        assertEquals(n, id.number().getAsInt());
    }

    @Property
    void anythingOutsideTheAlphabetIsRejected(@ForAll @StringLength(min = 1, max = 12) String suffix) {
        boolean allowed = suffix.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        assertEquals(allowed, AgentId.isValid("agent" + suffix));
    }
}
