using Engagement.Core.Privacy;

namespace Engagement.Core.Tests.Privacy;

public sealed class PersonalDataDetectorTests
{
    private static readonly PersonalDataDetector Detector = PersonalDataDetector.Instance;

    [Theory]
    [InlineData("Email me at jo.bloggs+nhs@example.co.uk please", PersonalDataKind.Email, "jo.bloggs+nhs@example.co.uk")]
    [InlineData("My mobile is 07700 900123 if you need it", PersonalDataKind.Phone, "07700 900123")]
    [InlineData("Ring 07700900456 any time", PersonalDataKind.Phone, "07700900456")]
    [InlineData("call +44 7700 900789 after six", PersonalDataKind.Phone, "+44 7700 900789")]
    [InlineData("call +44 (0)1634 960123 after six", PersonalDataKind.Phone, "+44 (0)1634 960123")]
    [InlineData("the surgery is on 01227 960 321 but nobody answers", PersonalDataKind.Phone, "01227 960 321")]
    [InlineData("landline 020 7946 0958 works", PersonalDataKind.Phone, "020 7946 0958")]
    [InlineData("ring (01843) 960111 tomorrow", PersonalDataKind.Phone, "(01843) 960111")]
    [InlineData("I live at ME7 1AA near the docks", PersonalDataKind.Postcode, "ME7 1AA")]
    [InlineData("postcode ct9 1xx, Margate", PersonalDataKind.Postcode, "ct9 1xx")]
    [InlineData("We moved to TN23 7HE last year", PersonalDataKind.Postcode, "TN23 7HE")]
    [InlineData("my NHS number is 943 476 5919 for reference", PersonalDataKind.NhsNumber, "943 476 5919")]
    [InlineData("NHS no 9434765919", PersonalDataKind.NhsNumber, "9434765919")]
    [InlineData("I was born on 12/03/1957 in Chatham", PersonalDataKind.Date, "12/03/1957")]
    [InlineData("DOB: 3rd March 1961", PersonalDataKind.Date, "3rd March 1961")]
    [InlineData("born in 1948 and still waiting", PersonalDataKind.Date, "1948")]
    [InlineData("date of birth 14 Feb", PersonalDataKind.Date, "14 Feb")]
    [InlineData("on 12 March 2024 I waited six hours", PersonalDataKind.Date, "12 March 2024")]
    [InlineData("I live at 14 Canterbury Road and the bus never comes", PersonalDataKind.Address, "14 Canterbury Road")]
    [InlineData("Flat 2, 7 Upper Queen's Crescent is damp", PersonalDataKind.Address, "Flat 2, 7 Upper Queen's Crescent")]
    [InlineData("send it to 3 Orchard Close", PersonalDataKind.Address, "3 Orchard Close")]
    [InlineData("Hello, my name is Sarah Jones and I care for my mum", PersonalDataKind.Name, "Sarah Jones")]
    [InlineData("my name is dave and I'm fed up", PersonalDataKind.Name, "dave")]
    [InlineData("Hi, I'm Priya, a mum of two", PersonalDataKind.Name, "Priya")]
    [InlineData("I am Tom Baker from the residents group", PersonalDataKind.Name, "Tom Baker")]
    [InlineData("Dr Patel at our surgery was brilliant", PersonalDataKind.Name, "Dr Patel")]
    [InlineData("ask Mrs O'Brien about it", PersonalDataKind.Name, "Mrs O'Brien")]
    [InlineData("Mr. John Smith complained", PersonalDataKind.Name, "Mr. John Smith")]
    [InlineData("My son Jayden Price has waited 40 weeks", PersonalDataKind.Name, "Jayden Price")]
    [InlineData("my mum, Maureen, was sent home at 2am", PersonalDataKind.Name, "Maureen")]
    [InlineData("my daughter called Ellie needs a SENCO", PersonalDataKind.Name, "Ellie")]
    public void Finds_personal_data(string text, PersonalDataKind kind, string value)
    {
        var matches = Detector.Find(text);
        Assert.Contains(matches, m => m.Kind == kind && m.Value == value);
        var match = matches.First(m => m.Kind == kind);
        Assert.Equal(value, text.Substring(match.Start, match.Length));
    }

    [Theory]
    [InlineData("I am a carer for my husband")]
    [InlineData("I am worried about the cuts")]
    [InlineData("I'm disabled and the bus is not accessible")]
    [InlineData("I am British and proud of the NHS")]
    [InlineData("Dr appointments are impossible to get")]
    [InlineData("Waited at A&E at 4pm until midnight")]
    [InlineData("In 2023 the service got worse, and 2024 was no better")]
    [InlineData("Route 66 bus has been cut")]
    [InlineData("Please fund the 0-19 service for 5 more years")]
    [InlineData("Covid-19 changed everything; 24/7 care is needed")]
    [InlineData("I have had my B12 3rd injection")]
    [InlineData("Kent and Medway ICB should publish the 2019-2024 plan")]
    [InlineData("My name is not important, fix the buses")]
    [InlineData("I'm Kent born and bred")]
    [InlineData("My son has waited 40 weeks for CAMHS")]
    [InlineData("my mum In hospital for weeks")]
    [InlineData("My daughter Is autistic")]
    [InlineData("We need 10 more GPs in Swale")]
    [InlineData("The 111 service told me to call 999")]
    [InlineData("Cost went up by 1234567 pounds")]
    [InlineData("The waiting list has 1234 567 890 people")]
    public void Leaves_ordinary_text_alone(string text)
    {
        var matches = Detector.Find(text);
        Assert.True(matches.Count == 0, $"Unexpected: {string.Join(", ", matches.Select(m => $"{m.Kind} '{m.Value}'"))}");
        Assert.Equal(text, Detector.Redact(text));
    }

    [Fact]
    public void Redact_replaces_every_match_with_its_placeholder()
    {
        const string text = "My name is Jane Doe, I live at 12 High Street, ME4 4QR. Call 07700 900123 or email jane@example.org. NHS number 943 476 5919, born 01/02/1950.";
        var redacted = Detector.Redact(text);

        Assert.Equal("My name is [name removed], I live at [address removed], [postcode removed]. Call [phone removed] or email [email removed]. " +
                     "NHS number [NHS number removed], born [date removed].", redacted);
        Assert.Empty(Detector.Find(redacted));
    }

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("9434765918", false)]
    [InlineData("4010232137", true)]
    [InlineData("1234567890", false)]
    public void Nhs_numbers_need_a_valid_check_digit(string number, bool valid)
    {
        Assert.Equal(valid, PersonalDataDetector.IsValidNhsNumber(number));
        Assert.Equal(valid, Detector.Find("number " + number).Any(m => m.Kind == PersonalDataKind.NhsNumber));
    }
}
