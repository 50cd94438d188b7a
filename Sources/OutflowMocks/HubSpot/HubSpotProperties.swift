import OutflowCore

/// A contact property as `GET /crm/v3/properties/contacts` describes it.
///
/// The mock knows HubSpot's common default contact properties; a property met in the users it
/// loads that is not among them is added as a custom single-line text property, as if the
/// account had created it.
struct HubSpotProperty: Sendable {
    let name: String
    let label: String
    /// `string`, `number`, `enumeration`, `datetime`, `date`, `bool`.
    let type: String
    /// `text`, `textarea`, `number`, `select`, `date`, `booleancheckbox`, `phonenumber`, `calculation_read_time`.
    let fieldType: String
    let groupName: String
    var hasUniqueValue = false
    var readOnlyValue = false
    var options: [String] = []
    var custom = false

    var json: JSONValue {
        .object(jsonObject([
            "updatedAt": "2024-01-10T09:00:00.000Z",
            "createdAt": "2019-08-06T02:41:52.000Z",
            "name": .string(name),
            "label": .string(label),
            "type": .string(type),
            "fieldType": .string(fieldType),
            "description": "",
            "groupName": .string(groupName),
            "options": .array(options.enumerated().map { index, option in
                .object(jsonObject([
                    "label": .string(option), "value": .string(option), "displayOrder": .number(String(index)), "hidden": false,
                ]))
            }),
            "displayOrder": -1,
            "calculated": false,
            "externalOptions": false,
            "hasUniqueValue": .bool(hasUniqueValue),
            "hidden": false,
            "hubspotDefined": .bool(!custom),
            "modificationMetadata": .object(jsonObject([
                "archivable": .bool(custom), "readOnlyDefinition": .bool(!custom), "readOnlyValue": .bool(readOnlyValue),
            ])),
            "formField": .bool(!readOnlyValue),
            "archived": false,
        ]))
    }
}

enum HubSpotProperties {
    /// Properties every answer carries whatever was asked (HubSpot adds them to each object).
    static let always = ["createdate", "hs_object_id", "lastmodifieddate"]
    /// What GET one, batch read and search return when no `properties` are asked for.
    static let defaults = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
    /// Properties the free-text `query` of search looks in.
    static let searchable = ["email", "firstname", "lastname", "phone", "company"]

    static let builtIn: [HubSpotProperty] = [
        HubSpotProperty(name: "email", label: "Email", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "firstname", label: "First Name", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "lastname", label: "Last Name", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "phone", label: "Phone Number", type: "string", fieldType: "phonenumber", groupName: "contactinformation"),
        HubSpotProperty(name: "mobilephone", label: "Mobile Phone Number", type: "string", fieldType: "phonenumber", groupName: "contactinformation"),
        HubSpotProperty(name: "company", label: "Company Name", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "jobtitle", label: "Job Title", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "website", label: "Website URL", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "address", label: "Street Address", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "city", label: "City", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "state", label: "State/Region", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "zip", label: "Postal Code", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "country", label: "Country/Region", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(name: "date_of_birth", label: "Date of birth", type: "string", fieldType: "text", groupName: "contactinformation"),
        HubSpotProperty(
            name: "lifecyclestage", label: "Lifecycle Stage", type: "enumeration", fieldType: "radio", groupName: "contactinformation",
            options: ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"]),
        HubSpotProperty(
            name: "hs_lead_status", label: "Lead Status", type: "enumeration", fieldType: "radio", groupName: "sales_properties",
            options: ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"]),
        HubSpotProperty(
            name: "hs_object_id", label: "Record ID", type: "number", fieldType: "number", groupName: "contactinformation",
            hasUniqueValue: true, readOnlyValue: true),
        HubSpotProperty(
            name: "createdate", label: "Create Date", type: "datetime", fieldType: "calculation_read_time", groupName: "contactinformation",
            readOnlyValue: true),
        HubSpotProperty(
            name: "lastmodifieddate", label: "Last Modified Date", type: "datetime", fieldType: "calculation_read_time",
            groupName: "contactinformation", readOnlyValue: true),
    ]

    /// A custom property discovered in loaded users.
    static func custom(_ name: String) -> HubSpotProperty {
        HubSpotProperty(name: name, label: name, type: "string", fieldType: "text", groupName: "contactinformation", custom: true)
    }
}
