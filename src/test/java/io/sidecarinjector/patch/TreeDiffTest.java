package io.sidecarinjector.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.support.Mappers;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TreeDiffTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("equal trees", "{'a':{'b':[1,2]}}", "{'a':{'b':[1,2]}}", "[]"),
                Arguments.of(
                        "keys added and removed, escaped",
                        "{'m':{'x':'1','a/b':'2'}}",
                        "{'m':{'a/b':'2','c~d':'3'}}",
                        "[{'op':'remove','path':'/m/x'},{'op':'add','path':'/m/c~0d','value':'3'}]"),
                Arguments.of(
                        "a value changed in place",
                        "{'a':{'b':'x'}}",
                        "{'a':{'b':'y'}}",
                        "[{'op':'replace','path':'/a/b','value':'y'}]"),
                Arguments.of(
                        "a value of another type",
                        "{'a':[1]}",
                        "{'a':{'b':1}}",
                        "[{'op':'replace','path':'/a','value':{'b':1}}]"),
                Arguments.of(
                        "named items added before, between and after",
                        "{'c':[{'name':'a'},{'name':'b'}]}",
                        "{'c':[{'name':'p'},{'name':'a'},{'name':'q'},{'name':'b','x':1},{'name':'r'}]}",
                        "[{'op':'add','path':'/c/0','value':{'name':'p'}},"
                                + "{'op':'add','path':'/c/2','value':{'name':'q'}},"
                                + "{'op':'add','path':'/c/3/x','value':1},"
                                + "{'op':'add','path':'/c/4','value':{'name':'r'}}]"),
                Arguments.of(
                        "named items reordered: replaced whole",
                        "{'c':[{'name':'a'},{'name':'b'}]}",
                        "{'c':[{'name':'b'},{'name':'a'}]}",
                        "[{'op':'replace','path':'/c','value':[{'name':'b'},{'name':'a'}]}]"),
                Arguments.of(
                        "a named item removed: replaced whole",
                        "{'c':[{'name':'a'},{'name':'b'}]}",
                        "{'c':[{'name':'b'}]}",
                        "[{'op':'replace','path':'/c','value':[{'name':'b'}]}]"),
                Arguments.of(
                        "a list grown at its end",
                        "{'args':['-p','1']}",
                        "{'args':['-p','1','-u','2']}",
                        "[{'op':'add','path':'/args/2','value':'-u'},{'op':'add','path':'/args/3','value':'2'}]"),
                Arguments.of(
                        "an item changed in a list of the same length",
                        "{'args':['-u','1337','-x']}",
                        "{'args':['-u','1000','-x']}",
                        "[{'op':'replace','path':'/args/1','value':'1000'}]"),
                Arguments.of(
                        "a list shortened: replaced whole",
                        "{'args':['a','b']}",
                        "{'args':['b']}",
                        "[{'op':'replace','path':'/args','value':['b']}]"),
                Arguments.of(
                        "items with a repeated name, grown at the end",
                        "{'c':[{'name':'a'}]}",
                        "{'c':[{'name':'a'},{'name':'a'}]}",
                        "[{'op':'add','path':'/c/1','value':{'name':'a'}}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchIsAsSmallAsTheChangeAndYieldsTheTarget(String name, String from, String to, String expected) {
        JsonNode a = json(from);
        JsonNode b = json(to);
        JsonNode patch = TreeDiff.of(a, b);
        assertEquals(json(expected), patch);
        assertEquals(b, PodPatch.apply(patch, a));
    }

    /** The pod's JSON reads 1337 as an int; the model writes a long field as a long: one value, no operation. */
    @Test
    void anIntegerIsOneValueWhateverItsNodeClass() {
        ObjectNode read = (ObjectNode) json("{'user':1337,'ports':[{'port':15090}],'big':4294967296}");
        ObjectNode written = read.objectNode();
        written.put("user", 1337L);
        written.putArray("ports").addObject().put("port", 15090L);
        written.put("big", new java.math.BigInteger("4294967296"));
        assertEquals(json("[]"), TreeDiff.of(read, written));

        written.put("user", 1000L);
        written.put("big", 4294967297L);
        // compared as text: the operations carry the second tree's own nodes, longs here
        String changed =
                "[{'op':'replace','path':'/user','value':1000},{'op':'replace','path':'/big','value':4294967297}]";
        assertEquals(json(changed).toString(), TreeDiff.of(read, written).toString());
        JsonNode fraction = json("{'user':1337.5,'ports':[{'port':15090}],'big':4294967296}");
        assertEquals(json("[{'op':'replace','path':'/user','value':1337.5}]"), TreeDiff.of(read, fraction));
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return Mappers.JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
