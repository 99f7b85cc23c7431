using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// The one reader of both feature-list formats. A single forward pass with
/// <see cref="Utf8JsonReader"/> over the whole document decides, for every caller, whether a list
/// is valid: <see cref="ReadList"/> (what <c>harness features</c> and the writers need) builds
/// every record, <see cref="ReadSummary"/> (the entry's hot path, lists of 10,000 features) keeps
/// only ids and statuses and builds the one record the entry shows. Both run the same checks to
/// the end of the document (a truncated list, garbage after the root, a non-string name, text
/// that is not UTF-8), so they accept and reject exactly the same bytes with the same error.
/// Every problem is reported at once, with its JSON path and line.
/// </summary>
internal static class FeatureListReader
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
        var pass = new Pass(path, bytes, format, materialize: true);
        pass.Run();
        return new FeatureList(path, format, pass.Features());
    }

    /// <summary>Counts, problems and the next feature, without a record per feature. Rejects exactly what <see cref="ReadList"/> rejects.</summary>
    public static FeatureSummary ReadSummary(string path, byte[] bytes, FeatureListFormat format)
    {
        var pass = new Pass(path, bytes, format, materialize: false);
        pass.Run();
        return new FeatureSummary
        {
            Path = path,
            Format = format,
            Counts = FeatureCounts.Of(pass.Heads),
            NextFeature = pass.NextFeature(),
            Problems = FeatureValidation.Validate(pass.Heads),
        };
    }

    /// <summary>The fields of one feature object as written (null when absent or JSON null).</summary>
    private struct Fields
    {
        public string? Id;
        public string? Name;
        public string? Description;
        public string? Category;
        public string[]? Steps;
        public string? Status;
        public bool Passes;
        public int Attempts;
        public string? Notes;
    }

    /// <summary>One read of one document; the reader itself is a ref struct, so the state lives here.</summary>
    private sealed class Pass(string path, byte[] bytes, FeatureListFormat format, bool materialize)
    {
        private readonly bool _seed = format == FeatureListFormat.Seed;
        private readonly List<Fields> _fields = [];
        private JsonValidator? _problems;
        private (int Index, int Start, int End)? _firstInProgress;
        private (int Index, int Start, int End)? _firstPending;

        /// <summary>Id and status of each feature, in file order; derived ids filled in.</summary>
        public List<(string Id, string Status)> Heads { get; } = [];

        private ReadOnlySpan<byte> Json => JsonFile.SkipBom(bytes).Span;

        public void Run()
        {
            try
            {
                var reader = new Utf8JsonReader(Json, Options);
                reader.Read();
                if (_seed)
                {
                    ReadSeedRoot(ref reader);
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

            FillQuickstartIds();
            _problems?.ThrowIfProblems(ErrorIds.FeatureListInvalid, "the feature list", Fix);
        }

        public IReadOnlyList<Feature> Features()
        {
            var width = QuickstartIds.Width(_fields.Count);
            var features = new Feature[_fields.Count];
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = Build(_fields[i], i, width);
            }

            return features;
        }

        /// <summary>The first feature in progress, else the first pending, read again in full from its bytes.</summary>
        public Feature? NextFeature()
        {
            if ((_firstInProgress ?? _firstPending) is not { } range)
            {
                return null;
            }

            var reader = new Utf8JsonReader(Json[range.Start..range.End], Options);
            reader.Read();
            var fields = ReadItem(ref reader, range.Index, capture: true);
            return Build(fields, range.Index, QuickstartIds.Width(Heads.Count));
        }

        private void ReadSeedRoot(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Report("$", $"expected an object {{\"features\": [...]}}, found {Describe(ref reader)}");
                return;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFeatures = reader.ValueTextEquals("features"u8);
                reader.Read();
                if (!isFeatures)
                {
                    reader.Skip();
                }
                else if (found)
                {
                    // Readers disagree on which of two wins, and no editor can keep both: refuse it.
                    Report("$.features", "appears twice; keep one array of features");
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    found = true;
                    ReadItems(ref reader, "$.features");
                }
                else
                {
                    found = true;
                    Report("$.features", $"expected an array of features, found {Describe(ref reader)}");
                }
            }

            if (!found)
            {
                Report("$.features", "is missing; expected an array of features");
            }
        }

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
                var status = StatusOf(fields);
                Heads.Add((_seed && string.IsNullOrWhiteSpace(fields.Id) ? $"#{index + 1}" : fields.Id ?? "", status));
                if (materialize)
                {
                    _fields.Add(fields);
                }
                else if (_firstInProgress is null && status == FeatureStatuses.InProgress)
                {
                    _firstInProgress = (index, start, (int)reader.BytesConsumed);
                }
                else if (_firstPending is null && status == FeatureStatuses.Pending)
                {
                    _firstPending = (index, start, (int)reader.BytesConsumed);
                }

                index++;
            }
        }

        /// <summary>
        /// Reads one feature object (the reader on its '{', left on its '}'), checking every field
        /// the harness models. <paramref name="capture"/> keeps the text fields; without it they are
        /// only checked (type, valid UTF-8), which is what makes the summary fast.
        /// </summary>
        private Fields ReadItem(ref Utf8JsonReader reader, int index, bool capture)
        {
            var fields = default(Fields);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    fields.Id = reader.TokenType == JsonTokenType.Number
                        ? Encoding.UTF8.GetString(reader.ValueSpan) // Hand-written lists often number their features: 7 is "7".
                        : Text(ref reader, index, "id", capture: true);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    fields.Status = KnownStatus(ref reader) ?? Text(ref reader, index, "status", capture: true);
                }
                else if (!_seed && reader.ValueTextEquals("passes"u8))
                {
                    reader.Read();
                    fields.Passes = reader.TokenType == JsonTokenType.True;
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        Report(FieldPath(index, "passes"), $"expected true or false, found {Describe(ref reader)}");
                    }
                }
                else if (reader.ValueTextEquals("description"u8))
                {
                    reader.Read();
                    fields.Description = Text(ref reader, index, "description", capture);
                }
                else if (_seed && reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    fields.Name = Text(ref reader, index, "name", capture);
                }
                else if (reader.ValueTextEquals("category"u8))
                {
                    reader.Read();
                    fields.Category = Text(ref reader, index, "category", capture);
                }
                else if (reader.ValueTextEquals("notes"u8))
                {
                    reader.Read();
                    fields.Notes = Text(ref reader, index, "notes", capture);
                }
                else if (reader.ValueTextEquals("steps"u8))
                {
                    reader.Read();
                    fields.Steps = Steps(ref reader, index, capture);
                }
                else if (reader.ValueTextEquals("attempts"u8))
                {
                    reader.Read();
                    fields.Attempts = Attempts(ref reader, index);
                }
                else
                {
                    // A field the harness does not model: kept by the writers, not looked at here.
                    reader.Read();
                    reader.Skip();
                }
            }

            return fields;
        }

        /// <summary>A string or null; anything else is reported. Null when not <paramref name="capture"/>d.</summary>
        private string? Text(ref Utf8JsonReader reader, int index, string field, bool capture)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                Report(FieldPath(index, field), $"expected a string, found {Describe(ref reader)}");
                return null;
            }

            if (TryText(ref reader, capture, out var text))
            {
                return text;
            }

            Report(FieldPath(index, field), NotText);
            return null;
        }

        private string[]? Steps(ref Utf8JsonReader reader, int index, bool capture)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                Report(FieldPath(index, "steps"), $"expected an array of strings, found {Describe(ref reader)}");
                return null;
            }

            var steps = capture ? new List<string>() : null;
            var i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    Report(JsonPaths.Index(FieldPath(index, "steps"), i), $"expected a string, found {Describe(ref reader)}");
                }
                else if (TryText(ref reader, capture, out var step))
                {
                    steps?.Add(step!);
                }
                else
                {
                    Report(JsonPaths.Index(FieldPath(index, "steps"), i), NotText);
                }

                i++;
            }

            return steps?.ToArray();
        }

        private int Attempts(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return 0;
            }

            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n >= 0)
            {
                return n;
            }

            Report(FieldPath(index, "attempts"), $"expected a whole number of at least 0, found {Describe(ref reader)}");
            return 0;
        }

        private string StatusOf(in Fields fields) =>
            fields.Status ?? (fields.Passes && !_seed ? FeatureStatuses.Completed : FeatureStatuses.Pending);

        private Feature Build(in Fields f, int index, int quickstartWidth)
        {
            if (_seed)
            {
                return new Feature
                {
                    Id = string.IsNullOrWhiteSpace(f.Id) ? $"#{index + 1}" : f.Id,
                    Name = f.Name ?? FirstLine(f.Description) ?? f.Id ?? $"#{index + 1}",
                    Description = f.Description,
                    Category = f.Category,
                    Steps = f.Steps ?? [],
                    Status = StatusOf(f),
                    Attempts = f.Attempts,
                    Notes = f.Notes,
                    Index = index,
                    Path = path,
                };
            }

            var id = string.IsNullOrWhiteSpace(f.Id) ? QuickstartIds.For(index, quickstartWidth) : f.Id;
            return new Feature
            {
                Id = id,
                Name = FirstLine(f.Description) ?? id,
                Description = f.Description,
                Category = f.Category,
                Steps = f.Steps ?? [],

                // passes says done or not; our optional "status" field keeps what passes cannot (in_progress, blocked).
                Status = StatusOf(f),
                Attempts = f.Attempts,
                Notes = f.Notes,
                Index = index,
                Path = path,
            };
        }

        private void FillQuickstartIds()
        {
            if (_seed)
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
            JsonPaths.Child(JsonPaths.Index(_seed ? "$.features" : "$", index), field);

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

    private const string NotText = "is not valid text: invalid UTF-8, or an unpaired \\uD800-\\uDFFF escape";

    /// <summary>
    /// Whether the string token decodes; its value when <paramref name="capture"/>. Unescaped text is
    /// only validated (no string built), which keeps the summary's pass over 10,000 descriptions cheap.
    /// </summary>
    private static bool TryText(ref Utf8JsonReader reader, bool capture, out string? text)
    {
        text = null;
        if (!capture && !reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            text = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // The five statuses cover nearly every feature: return the constants instead of 10,000 new strings.
    private static string? KnownStatus(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? null
        : reader.ValueTextEquals("pending"u8) ? FeatureStatuses.Pending
        : reader.ValueTextEquals("completed"u8) ? FeatureStatuses.Completed
        : reader.ValueTextEquals("in_progress"u8) ? FeatureStatuses.InProgress
        : reader.ValueTextEquals("tested"u8) ? FeatureStatuses.Tested
        : reader.ValueTextEquals("blocked"u8) ? FeatureStatuses.Blocked
        : null;

    /// <summary>How the value under the reader reads in an error; moves the reader past it. Error path only.</summary>
    private static string Describe(ref Utf8JsonReader reader)
    {
        var value = JsonElement.ParseValue(ref reader);
        try
        {
            return JsonValidator.Describe(value);
        }
        catch (InvalidOperationException)
        {
            return "a string that is not valid text";
        }
    }

    private static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = text.AsSpan().Trim();
        var cut = line.IndexOfAny('\r', '\n');
        if (cut >= 0)
        {
            line = line[..cut].TrimEnd();
        }

        return line.Length <= 80 ? line.ToString() : string.Concat(line[..77], "...");
    }
}
