#!/usr/bin/env python3
"""Writes uk-sanctions-list.csv: the designations of the FCDO UK Sanctions List XML excerpt
(../shared/data/lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml) in the list's CSV
layout (see README.md). Run from this directory:

    python3 make_uk_sanctions_list_csv.py ../../../../../../shared/data/lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml

One row per name of a designation; a designation with more addresses, dates of birth,
documents, ... than names gets further rows repeating its primary name. Values a
designation has once are repeated on each of its rows.
"""

import csv
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

HEADER = [
    "Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number",
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name type", "Alias strength",
    "Title", "Name non-latin script", "Non-latin script type", "Non-latin script language",
    "Regime Name", "Designation Type", "Designation source", "Sanctions Imposed",
    "Other Information", "UK Statement of Reasons",
    "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
    "Address Line 6", "Address Postal Code", "Address Country",
    "Phone number", "Website", "Email address", "Date Designated",
    "D.O.B", "Nationality(/ies)", "National Identifier number",
    "National Identifier additional information", "Passport number",
    "Passport additional information", "Position", "Gender", "Town of birth", "Country of birth",
    "Type of entity", "Subsidiaries", "Parent company", "Business registration number (s)",
    "IMO number", "Current owner/operator (s)", "Previous owner/operator (s)",
    "Current believed flag of ship", "Previous flags", "Type of ship", "Tonnage of ship",
    "Length of ship", "Year Built", "Hull identification number (HIN)",
]

SINGLE = {
    "Last Updated": "LastUpdated", "Unique ID": "UniqueID", "OFSI Group ID": "OFSIGroupID",
    "UN Reference Number": "UNReferenceNumber", "Regime Name": "RegimeName",
    "Designation Type": "IndividualEntityShip", "Designation source": "DesignationSource",
    "Sanctions Imposed": "SanctionsImposed", "Other Information": "OtherInformation",
    "UK Statement of Reasons": "UKStatementofReasons", "Date Designated": "DateDesignated",
}

# column -> path of the repeated element, relative to the designation
LISTS = {
    "Title": "Titles/Title", "Phone number": "PhoneNumbers/PhoneNumber",
    "Website": "Websites/Website", "Email address": "EmailAddresses/EmailAddress",
    "D.O.B": "IndividualDetails/Individual/DOBs/DOB",
    "Nationality(/ies)": "IndividualDetails/Individual/Nationalities/Nationality",
    "Position": "IndividualDetails/Individual/Positions/Position",
    "Gender": "IndividualDetails/Individual/Genders/Gender",
    "Type of entity": "EntityDetails/Entity/TypeOfEntities/TypeOfEntity",
    "Subsidiaries": "EntityDetails/Entity/Subsidiaries/Subsidiary",
    "Parent company": "EntityDetails/Entity/ParentCompanies/ParentCompany",
    "Business registration number (s)":
        "EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber",
    "IMO number": "ShipDetails/Ship/IMONumbers/IMONumber",
    "Current owner/operator (s)": "ShipDetails/Ship/CurrentOwnerOperators/CurrentOwnerOperator",
    "Current believed flag of ship":
        "ShipDetails/Ship/CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip",
    "Previous flags": "ShipDetails/Ship/PreviousFlags/PreviousFlag",
    "Type of ship": "ShipDetails/Ship/TypeOfShipDetails/TypeOfShip",
    "Tonnage of ship": "ShipDetails/Ship/TonnageOfShipDetails/TonnageOfShip",
    "Length of ship": "ShipDetails/Ship/LengthOfShipDetails/LengthOfShip",
    "Year Built": "ShipDetails/Ship/YearsBuilt/YearBuilt",
    "Hull identification number (HIN)":
        "ShipDetails/Ship/HullIdentificationNumbers/HullIdentificationNumber",
}

# repeated records of several columns: path, {column: child}
RECORDS = [
    ("Names/Name", {f"Name {n}": f"Name{n}" for n in range(1, 7)}
     | {"Name type": "NameType", "Alias strength": "AliasStrength"}),
    ("NonLatinNames/NonLatinName", {"Name non-latin script": "NameNonLatinScript",
                                    "Non-latin script type": "NonLatinScriptType",
                                    "Non-latin script language": "NonLatinScriptLanguage"}),
    ("Addresses/Address", {f"Address Line {n}": f"AddressLine{n}" for n in range(1, 7)}
     | {"Address Postal Code": "AddressPostalCode", "Address Country": "AddressCountry"}),
    ("IndividualDetails/Individual/BirthDetails/Location",
     {"Town of birth": "TownOfBirth", "Country of birth": "CountryOfBirth"}),
    ("IndividualDetails/Individual/PassportDetails/Passport",
     {"Passport number": "PassportNumber",
      "Passport additional information": "PassportAdditionalInformation"}),
    ("IndividualDetails/Individual/NationalIdentifierDetails/NationalIdentifier",
     {"National Identifier number": "NationalIdentifierNumber",
      "National Identifier additional information": "NationalIdentifierAdditionalInformation"}),
]


def text(element):
    return (element.text or "").strip() if element is not None else ""


def main(path):
    root = ET.parse(path).getroot()
    generated = datetime.strptime(text(root.find("DateGenerated")), "%d/%m/%Y")
    out = csv.writer(sys.stdout, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    sys.stdout.write(f"Report Date: {generated.strftime('%d-%b-%Y')}\r\n")
    out.writerow(HEADER)
    for designation in root.findall("Designation"):
        columns = {}  # column -> list of values, one per row
        for column, tag in SINGLE.items():
            columns[column] = [text(designation.find(tag))]
        for column, tag in LISTS.items():
            columns[column] = [text(e) for e in designation.findall(tag)]
        names = []
        for tag, fields in RECORDS:
            found = designation.findall(tag)
            for column, child in fields.items():
                columns[column] = [text(e.find(child)) for e in found]
            if tag == "Names/Name":
                names = found
        rows = max([len(v) for v in columns.values()] + [1])
        primary = next((i for i, n in enumerate(names)
                        if text(n.find("NameType")).lower() == "primary name"), 0)
        name_columns = RECORDS[0][1].keys()
        for i in range(rows):
            row = []
            for column in HEADER:
                values = columns.get(column, [])
                if column in SINGLE:
                    row.append(values[0])
                elif i < len(values):
                    row.append(values[i])
                elif column in name_columns and values:
                    row.append(values[primary])
                else:
                    row.append("")
            out.writerow(row)


if __name__ == "__main__":
    main(sys.argv[1])
