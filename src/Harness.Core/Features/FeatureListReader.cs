using System.Text.Json;
using System.Text.Unicode;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// The one reader of the three feature-list formats (<see cref="FeatureListShape"/>). A single forward pass with
/// <see cref="Utf8JsonReader"/> over the whole document decides, for every caller, whether a list
/// is valid: <see cref="ReadList"/> (what <c>harness features</c> and the writers need) builds
/// every record, <see cref="ReadSummary"/> (the entry's hot path, lists of 10,000 features) keeps
/// only ids and statuses and builds the one record the entry shows. Both run the same checks to
/// the end of the document (a truncated list, garbage after the root, a non-string name, text
/// that is not UTF-8), so they accept and reject exactly the same bytes with the same error.
/// Every problem is reported at once, with its JSON path and line.
/// </summary>
internal static partial class FeatureListReader
{
    internal const string Fix = "Fix the file by hand (see docs/formats.md, feature list), or restore it from git or from its .bak copy; the harness left it unchanged.";

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Every feature as a full record. Throws <see cref="ErrorIds.FeatureListInvalid"/> naming the line.</summary>
    public static FeatureList ReadList(string path, byte[] bytes, FeatureListFormat format)
    {
        var pass = Run(path, bytes, format, materialize: true);
        return new FeatureList(path, format, pass.Features());
    }

    /// <summary>Counts, problems and the next feature, without a record per feature. Rejects exactly what <see cref="ReadList"/> rejects.</summary>
    public static FeatureSummary ReadSummary(string path, byte[] bytes, FeatureListFormat format)
    {
        var pass = Run(path, bytes, format, materialize: false);
        return new FeatureSummary
        {
            Path = path,
            Format = format,
            Counts = FeatureCounts.Of(pass.Heads),
            NextFeature = pass.NextFeature(),
            Problems = FeatureValidation.Validate(pass.Heads),
        };
    }

    private static Pass Run(string path, byte[] bytes, FeatureListFormat format, bool materialize)
    {
        // The summary skips decoding text, so it first assumes the text is UTF-8 and checks each
        // feature's bytes in one go while they are in cache (checking 80,000 strings one by one
        // would double the pass). Bad bytes anywhere in a feature: read again looking at every
        // string, exactly as the full read does.
        var pass = new Pass(path, bytes, format, materialize, assumeUtf8: !materialize);
        pass.Run();
        if (!pass.MetInvalidUtf8)
        {
            return pass;
        }

        var strict = new Pass(path, bytes, format, materialize, assumeUtf8: false);
        strict.Run();
        return strict;
    }

    /// <summary>One read of one document; the reader itself is a ref struct, so the state lives here.</summary>
    private sealed partial class Pass(string path, byte[] bytes, FeatureListFormat format, bool materialize, bool assumeUtf8)
    {
        private readonly FeatureListShape _shape = FeatureListShape.Of(format);
        private readonly List<Feature> _features = [];

        // Quickstart features are built at the end: their derived ids are padded to the list's length.
        private readonly List<Fields> _quickstartFields = [];
        private JsonValidator? _problems;
        private (int Index, int Start, int End, double Rank)? _nextInProgress;
        private (int Index, int Start, int End, double Rank)? _nextPending;

        /// <summary>Id and status of each feature, in file order, derived ids filled in; summary only.</summary>
        public List<(string Id, string Status)> Heads { get; } = [];

        /// <summary>A feature's bytes were not all UTF-8 while the pass assumed they were: its result does not count.</summary>
        public bool MetInvalidUtf8 { get; private set; }

        private ReadOnlySpan<byte> Json => JsonFile.SkipBom(bytes).Span;

        public void Run()
        {
            try
            {
                var reader = new Utf8JsonReader(Json, Options);
                reader.Read();
                if (_shape.ListProperty is not null)
                {
                    ReadObjectRoot(ref reader);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadItems(ref reader, "$");
                }
                else
                {
                    Report("$", $"expected an array of {{category, description, steps, passes}}, found {Describe(ref reader)}");
                }

                // Anything but comments and white space after the root fails here: a list cut short
                // or with a second document appended is never half-read.
                if (reader.Read())
                {
                    throw new JsonException("a second value after the document's root", null, null, null);
                }
            }
            catch (JsonException ex)
            {
                throw NotJson(ex);
            }

            if (MetInvalidUtf8)
            {
                return;
            }

            FillQuickstartIds();
            _problems?.ThrowIfProblems(ErrorIds.FeatureListInvalid, "the feature list", Fix);
        }

        public IReadOnlyList<Feature> Features()
        {
            if (!_shape.DerivesIdsFromPosition)
            {
                return _features;
            }

            var width = QuickstartIds.Width(_quickstartFields.Count);
            var features = new Feature[_quickstartFields.Count];
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = Build(_quickstartFields[i], i, width);
            }

            return features;
        }

        /// <summary>The feature in progress, else the pending one, that comes first (priority, then file order), read again in full from its bytes.</summary>
        public Feature? NextFeature()
        {
            if ((_nextInProgress ?? _nextPending) is not { } range)
            {
                return null;
            }

            var reader = new Utf8JsonReader(Json[range.Start..range.End], Options);
            reader.Read();
            var fields = ReadItem(ref reader, range.Index, capture: true);
            return Build(fields, range.Index, QuickstartIds.Width(Heads.Count));
        }

        /// <summary>The seed's <c>{"features": [...]}</c> and Ralph's <c>{"userStories": [...]}</c>; other properties are skipped.</summary>
        private void ReadObjectRoot(ref Utf8JsonReader reader)
        {
            var items = _shape.ItemsPath;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Report("$", $"expected an object {{\"{_shape.ListProperty}\": [...]}}, found {Describe(ref reader)}");
                return;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFeatures = reader.ValueTextEquals(_shape.ListPropertyUtf8);
                var isOtherFormats = !isFeatures && IsOtherFormatsList(ref reader);
                reader.Read();
                if (isOtherFormats)
                {
                    // {"features": [...], "userStories": [...]}: which list is the work? Never guess.
                    var other = _shape.Format == FeatureListFormat.Ralph ? FeatureListShape.Seed : FeatureListShape.Ralph;
                    Report(other.ItemsPath, $"is there beside {items}: the file holds a seed list and a Ralph list, and the harness does not guess which one is the work; keep one (move the other to a file of its own, 'harness init --import' converts it)");
                    reader.Skip();
                }
                else if (!isFeatures)
                {
                    reader.Skip();
                }
                else if (found)
                {
                    // Readers disagree on which of two wins, and no editor can keep both: refuse it.
                    Report(items, "appears twice; keep one array of features");
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    found = true;
                    ReadItems(ref reader, items);
                }
                else
                {
                    found = true;
                    Report(items, $"expected an array of features, found {Describe(ref reader)}");
                }
            }

            if (!found)
            {
                Report(items, _shape.Format == FeatureListFormat.Ralph
                    ? "is missing; a prd.json is read as Ralph's {\"branchName\", \"userStories\": [...]}. If this prd.json is not a feature list, give the project its own list (.claude/progress/feature-list.json, read first) or move the file"
                    : "is missing; expected an array of features");
            }
        }

        /// <summary>The seed's <c>features</c> in a Ralph list, Ralph's <c>userStories</c> in a seed list.</summary>
        private bool IsOtherFormatsList(ref Utf8JsonReader reader) => _shape.Format == FeatureListFormat.Ralph
            ? reader.ValueTextEquals(FeatureListShape.Seed.ListPropertyUtf8)
            : reader.ValueTextEquals(FeatureListShape.Ralph.ListPropertyUtf8);

        private void ReadItems(ref Utf8JsonReader reader, string arrayPath)
        {
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    Report(JsonPaths.Index(arrayPath, index), $"expected a feature object, found {Describe(ref reader)}");
                    index++;
                    continue;
                }

                var start = (int)reader.TokenStartIndex;
                var fields = ReadItem(ref reader, index, materialize);
                if (materialize)
                {
                    Keep(fields, index);
                }
                else
                {
                    var end = (int)reader.BytesConsumed;
                    MetInvalidUtf8 |= assumeUtf8 && !Utf8.IsValid(Json[start..end]);
                    Summarize(fields, index, start, end);
                }

                index++;
            }
        }

        private void Keep(in Fields fields, int index)
        {
            if (_shape.DerivesIdsFromPosition)
            {
                _quickstartFields.Add(fields);
            }
            else
            {
                _features.Add(Build(fields, index, quickstartWidth: 0));
            }
        }

        /// <summary>Keeps the id and status, and where the next feature's bytes are (in progress before pending; lowest priority, then file order).</summary>
        private void Summarize(in Fields fields, int index, int start, int end)
        {
            var status = StatusOf(fields);
            Heads.Add((!_shape.DerivesIdsFromPosition && string.IsNullOrWhiteSpace(fields.Id) ? $"#{index + 1}" : fields.Id ?? "", status));
            var rank = FeatureList.Rank(fields.Priority);
            if (status == FeatureStatuses.InProgress && (_nextInProgress is not { } inProgress || rank < inProgress.Rank))
            {
                _nextInProgress = (index, start, end, rank);
            }
            else if (status == FeatureStatuses.Pending && (_nextPending is not { } pending || rank < pending.Rank))
            {
                _nextPending = (index, start, end, rank);
            }
        }

        private void FillQuickstartIds()
        {
            if (!_shape.DerivesIdsFromPosition)
            {
                return;
            }

            // Quickstart ids derive from the position, padded to the list's length: known only now.
            var width = QuickstartIds.Width(Heads.Count);
            for (var i = 0; i < Heads.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(Heads[i].Id))
                {
                    Heads[i] = (QuickstartIds.For(i, width), Heads[i].Status);
                }
            }
        }

        private string FieldPath(int index, string field) =>
            JsonPaths.Child(JsonPaths.Index(_shape.ItemsPath, index), field);

        private void Report(string at, string problem) =>
            (_problems ??= new JsonValidator(JsonFile.Unparsed(path, bytes))).Report(at, problem);

        private HarnessException NotJson(JsonException ex)
        {
            // JsonFile words syntax errors (and empty files) the same way for every harness file.
            JsonFile.Parse(path, bytes, ErrorIds.FeatureListInvalid, Fix);
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            return new HarnessException(ErrorIds.FeatureListInvalid, HarnessErrorCategory.InvalidData, $"{path}({line},{column}): not valid JSON: {ex.Message} {Fix}", ex)
            {
                FilePath = path,
                Line = line,
                Column = column,
                Fix = Fix,
            };
        }
    }
}
