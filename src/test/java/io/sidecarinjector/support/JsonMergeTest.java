package io.sidecarinjector.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergeTest {

    private static final String BASE = "{'a':{'x':1,'y':2},'resources':{'limits':{'cpu':'2'}},'n':5,'list':[1,2]}";

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "SET     | {'a':{'y':3}}                    | {'a':{'x':1,'y':3},'resources':{'limits':{'cpu':'2'}},'n':5,'list':[1,2]}",
                "SET     | {'n':null,'list':[3]}            | {'a':{'x':1,'y':2},'resources':{'limits':{'cpu':'2'}},'n':null,'list':[3]}",
                "REMOVES | {'n':null,'a':{'x':null}}        | {'a':{'y':2},'resources':{'limits':{'cpu':'2'}},'list':[1,2]}",
                "REMOVES | {'resources':{'requests':{}}}    | {'a':{'x':1,'y':2},'resources':{'requests':{}},'n':5,'list':[1,2]}",
                "IGNORED | {'n':null,'a':{'x':null,'z':0}}  | {'a':{'x':1,'y':2,'z':0},'resources':{'limits':{'cpu':'2'}},'n':5,'list':[1,2]}",
                "IGNORED | {'a':'scalar'}                   | {'a':'scalar','resources':{'limits':{'cpu':'2'}},'n':5,'list':[1,2]}"
            })
    void overlaysKeyByKeyWithTheGivenMeaningOfNull(JsonMerge.Null nulls, String overlay, String expected) {
        ObjectNode base = json(BASE);
        JsonMerge.into(base, json(overlay), nulls, Set.of("resources"));
        assertEquals(json(expected), base);
    }

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) Mappers.JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
