import OutflowCore

/// The schemas the fuzz targets read with: the demo workspace's profile schema (that of
/// fixtures/profiles/customers.*, so the seed corpora decode), which holds every kind of property.
public enum FuzzSchemas {
    /// fixtures/workspaces/demo.json's `warehouse.profiles.schema`, without descriptions.
    public static let profilesJSON = #"""
        {"kind":"object","properties":[
        {"name":"id","type":{"kind":"int","bitSize":64}},
        {"name":"email","type":{"kind":"string","maxLength":254},"nullable":true},
        {"name":"first_name","type":{"kind":"string","maxLength":100}},
        {"name":"last_name","type":{"kind":"string","maxLength":100}},
        {"name":"phone","type":{"kind":"string","maxLength":16,"pattern":"^\\+[1-9][0-9]{6,14}$"},"nullable":true},
        {"name":"address","type":{"kind":"object","properties":[{"name":"street","type":{"kind":"string","maxLength":200}},{"name":"city","type":{"kind":"string","maxLength":100}},{"name":"country","type":{"kind":"string","maxLength":2}},{"name":"postal_code","type":{"kind":"string","maxLength":10}}]}},
        {"name":"age","type":{"kind":"int","bitSize":16,"minimum":0,"maximum":150},"nullable":true},
        {"name":"score","type":{"kind":"float","bitSize":64}},
        {"name":"vip","type":{"kind":"boolean"}},
        {"name":"plan","type":{"kind":"string","values":["free","pro","enterprise"]}},
        {"name":"balance","type":{"kind":"decimal","precision":12,"scale":2}},
        {"name":"signup_date","type":{"kind":"date"}},
        {"name":"updated_at","type":{"kind":"datetime"}},
        {"name":"last_login","type":{"kind":"datetime"},"nullable":true},
        {"name":"birth_year","type":{"kind":"year"}},
        {"name":"user_uuid","type":{"kind":"uuid"}},
        {"name":"last_ip","type":{"kind":"ip"}},
        {"name":"tags","type":{"kind":"array","elementType":{"kind":"string"}}},
        {"name":"traits","type":{"kind":"json"},"nullable":true},
        {"name":"notes","type":{"kind":"string"},"nullable":true}]}
        """#

    /// One nullable output property per kind, for the mapping target: an expression is compiled
    /// against each, since the conversion to the output type is part of what is checked and run.
    public static let outputsJSON = #"""
        {"kind":"object","properties":[
        {"name":"s","type":{"kind":"string","maxLength":20},"nullable":true},
        {"name":"i","type":{"kind":"int","bitSize":16},"nullable":true},
        {"name":"n","type":{"kind":"int","bitSize":64},"nullable":true},
        {"name":"f","type":{"kind":"float","bitSize":32},"nullable":true},
        {"name":"b","type":{"kind":"boolean"},"nullable":true},
        {"name":"d","type":{"kind":"decimal","precision":6,"scale":2},"nullable":true},
        {"name":"t","type":{"kind":"datetime"},"nullable":true},
        {"name":"day","type":{"kind":"date"},"nullable":true},
        {"name":"u","type":{"kind":"uuid"},"nullable":true},
        {"name":"a","type":{"kind":"array","elementType":{"kind":"string"}},"nullable":true},
        {"name":"j","type":{"kind":"json"},"nullable":true},
        {"name":"o","type":{"kind":"object","properties":[{"name":"x","type":{"kind":"string"}}]}}]}
        """#

    /// Two rows of fixtures/profiles/customers.csv and one with every nullable cell empty.
    public static let profilesCSV = #"""
        id,email,first_name,last_name,phone,address.street,address.city,address.country,address.postal_code,age,score,vip,plan,balance,signup_date,updated_at,last_login,birth_year,user_uuid,last_ip,tags,traits,notes
        1,Ana.Lopez@Example.com,Ana,López,+34981913525,"Calle Mayor, 168",A Coruña,ES,15010,49,15.6488,false,free,0.00,2018-02-19,2023-12-14T06:09:05.620496Z,,1974,b4ebdea1-7401-455e-9de4-2c8a6fa548c7,105.86.121.69,"[""early-adopter"",""newsletter""]","{""source"":""ads"",""visits"":131,""ref"":null}",
        2,jgarcia@Example.com,José,García,+34966469689,"Calle de Serrano, 235",Valencia,ES,46021,46,39.896,false,pro,-364.58,2021-07-20,2022-03-23T07:10:21Z,2024-11-12T21:50:36Z,1978,4c798a5c-2983-4605-9704-0794e3d52822,13.209.187.60,[],"{""source"":""event"",""premium"":true}",
        3,,C,D,,"S, 1",City,FR,75001,,0,true,pro,1.50,2020-01-01,2020-01-01T00:00:00Z,,1990,00000000-0000-0000-0000-000000000000,::1,[],,

        """#

    public static let profiles: ObjectType = schema(profilesJSON)
    public static let outputs: ObjectType = schema(outputsJSON)

    /// Decodes a schema written above; a mistake there is a bug of the harness, so it stops.
    static func schema(_ text: String) -> ObjectType {
        var issues: [Diagnostic] = []
        guard let json = try? JSONParser.parse(text), case .object(let object)? = DataType.decode(json, path: "", issues: &issues),
            issues.isEmpty
        else { fatalError("a fuzz schema does not decode: \(issues)") }
        return object
    }
}
