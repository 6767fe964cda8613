namespace Engagement.Classifier;

/// <summary>
/// A small hand-written lexicon of everyday words for the ideas the themes are about, so a comment that says
/// "universal credit" shares a feature with training comments that said "benefits". It covers words residents use
/// that a ~85-comment-per-theme corpus will often miss. Each concept found sets one slot of the tag vector.
/// </summary>
public static class Concepts
{
    private static readonly (string Name, string Words)[] Groups =
    [
        ("money", "money cost costs price prices afford affordable expensive bill bills debt debts benefit benefits universal_credit pip income wage poverty poor broke skint food_bank foodbank heating fuel overdraft loan"),
        ("housing", "house housing homes flat flats landlord tenant rent rented renting evicted eviction homeless homelessness hostel mould damp temporary_accommodation bedsit"),
        ("travel", "bus buses train trains rail taxi taxis parking car cars drive driving travel transport journey road roads cycle cycling"),
        ("work", "job jobs employer employers employment unemployed unemployment business businesses apprenticeship apprenticeships career careers skills wages economy"),
        ("staff", "staff staffing nurse nurses workforce colleague colleagues recruit recruitment retention vacancies vacancy agency locum locums burnout burnt shift shifts rota"),
        ("crime", "crime crimes police antisocial knife knives gang gangs drug dealing violence violent unsafe safety theft burglary vandalism"),
        ("lonely", "lonely loneliness isolated isolation alone friends friendship befriending club clubs community_centre library libraries"),
        ("child", "child children kid kids baby babies toddler teenager teenagers teen teens school schools pupil pupils son daughter nursery youth"),
        ("parent", "parent parents parenting mum mums mother mothers dad dads father family families pregnant pregnancy maternity midwife midwives birth"),
        ("mind", "anxiety anxious depression depressed suicide suicidal selfharm self_harm crisis mental breakdown therapy therapist counselling counsellor talking_therapies"),
        ("older", "elderly older pensioner pensioners retired dementia alzheimers memory frail frailty falls ageing"),
        ("disability", "disabled disability disabilities wheelchair autism autistic adhd learning_disability deaf blind"),
        ("carer", "carer carers caring unpaid respite"),
        ("gp", "gp doctor doctors surgery surgeries receptionist receptionists appointment appointments"),
        ("teeth", "dentist dentists dental teeth tooth toothache pharmacy pharmacist pharmacies chemist optician opticians eyes glasses"),
        ("hospital", "hospital hospitals ward wards ae emergency ambulance ambulances operation operations surgery consultant outpatient"),
        ("wait", "wait waiting waited waits queue queues list lists delay delays delayed months weeks backlog"),
        ("discharge", "discharge discharged bed beds reablement rehab rehabilitation convalescence"),
        ("socialcare", "care_home carehome domiciliary home_care care_package social_worker social_care"),
        ("digital", "online internet app apps website websites digital computer smartphone email emails login"),
        ("lifestyle", "exercise fitness gym diet healthy eating weight obesity obese overweight smoking smoke vape vaping alcohol drinking swim swimming leisure sport sports"),
        ("abuse", "abuse abusive abuser domestic violence coercive refuge refuges victim victims survivor survivors"),
        ("safeguard", "safeguarding exploitation exploited grooming groomed neglect county_lines looked_after care_leaver foster fostering"),
        ("chronic", "diabetes diabetic copd asthma heart cancer stroke arthritis kidney conditions chronic longterm long_term"),
        ("plan", "care_plan careplan personal_budget direct_payment telecare telehealth selfmanage self_manage"),
        ("voluntary", "charity charities voluntary volunteer volunteers volunteering grant grants trustee trustees"),
        ("equality", "racism racist discrimination discriminated diversity inclusion inclusive equality lgbt lgbtq gay trans disabled ethnic minority minorities"),
        ("environment", "pollution air_quality green_space park parks trees climate flooding countryside environment"),
        ("strategy", "strategy strategies vision document ambition ambitious realistic aspirational priorities wording"),
        ("engagement", "consultation consult consulted survey engagement engage listen listened listening jargon codesign coproduce coproduction easy_read feedback"),
        ("governance", "governance accountability accountable board boards partnership partnerships delivery indicators indicator targets measure measures monitoring outcomes framework"),
        ("funding", "funding funded fund budget budgets cuts spend spending resources investment"),
        ("joinedup", "joined_up joinedup sharing records communication communicate referral referrals handover talk_each"),
    ];

    // Keys are one normalised token or two joined by a space ("universal credit" is written universal_credit above).
    private static readonly Dictionary<string, List<int>> ByTerm = Build();

    public static int Count => Groups.Length;

    private static Dictionary<string, List<int>> Build()
    {
        var map = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var g = 0; g < Groups.Length; g++)
        {
            var (_, words) = Groups[g];
            foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = string.Join(' ', TextNormaliser.Tokens(word.Replace('_', ' ')));
                if (key.Length == 0) continue;
                if (!map.TryGetValue(key, out var list)) map[key] = list = [];
                if (!list.Contains(g)) list.Add(g);
            }
        }
        return map;
    }

    /// <summary>Indexes of the concepts found in already-normalised tokens, each once.</summary>
    public static SortedSet<int> Find(IReadOnlyList<string> tokens)
    {
        var found = new SortedSet<int>();
        var pairs = ByTerm.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> pair = stackalloc char[128];
        for (var i = 0; i < tokens.Count; i++)
        {
            if (ByTerm.TryGetValue(tokens[i], out var groups)) found.UnionWith(groups);
            if (i + 1 == tokens.Count || tokens[i].Length + tokens[i + 1].Length + 1 > pair.Length) continue;
            tokens[i].CopyTo(pair);
            pair[tokens[i].Length] = ' ';
            tokens[i + 1].CopyTo(pair[(tokens[i].Length + 1)..]);
            if (pairs.TryGetValue(pair[..(tokens[i].Length + tokens[i + 1].Length + 1)], out groups)) found.UnionWith(groups);
        }
        return found;
    }
}
