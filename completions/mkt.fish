function __mkt_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mkt_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mkt_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mkt_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mkt_parse_tokens -S
    set -l unparsed_tokens (__mkt_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mkt'
        __mkt_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
        case 'db'
            __mkt_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'info'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
            case 'check'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
            case 'backup'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'force' 'version' 'h/help'
            end
        case 'merchant'
            __mkt_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'name=' 'country=' 'currency=' 'prices=' 'domain=' 'version' 'h/help'
            case 'list'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'text' 'json' 'jsonl' 'csv' 'tsv' 'version' 'h/help'
            case 'show'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
            case 'remove'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
            case 'import'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'mode=' 'dry-run' 'max-errors=' 'errors=' 'empty-means=' 'version' 'h/help'
            end
        case 'feed'
            __mkt_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'check'
                __mkt_parse_subcommand -r 1 'db=' 'busy-timeout=' 'q/quiet' 'text' 'json' 'jsonl' 'format=' 'delimiter=' 'encoding=' 'map=+' 'decimal-comma' 'merchant=' 'language=' 'currency=' 'shop-url=' 'max-findings=' 'golden=' 'update-golden' 'version' 'h/help'
            case 'normalize'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'format=' 'delimiter=' 'encoding=' 'map=+' 'decimal-comma' 'merchant=' 'language=' 'currency=' 'shop-url=' 'o/output=' 'version' 'h/help'
            case 'convert'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'format=' 'delimiter=' 'encoding=' 'map=+' 'decimal-comma' 'merchant=' 'language=' 'currency=' 'shop-url=' 'to=' 'o/output=' 'version' 'h/help'
            end
        case 'import'
            __mkt_parse_subcommand -r 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'mode=' 'dry-run' 'max-errors=' 'errors=' 'empty-means=' 'format=' 'delimiter=' 'encoding=' 'map=+' 'decimal-comma' 'merchant=' 'language=' 'currency=' 'shop-url=' 'manifest=' 'jobs=' 'create-merchants' 'merchant-country=' 'timeout=' 'retries=' 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'history'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'text' 'json' 'jsonl' 'csv' 'tsv' 'merchant=' 'limit=' 'version' 'h/help'
            end
        case 'catalog'
            __mkt_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'text' 'json' 'jsonl' 'csv' 'tsv' 'merchant=' 'limit=' 'version' 'h/help'
            case 'show'
                __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'merchant=' 'version' 'h/help'
            case 'stats'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'json' 'version' 'h/help'
            case 'export'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'merchant=' 'format=' 'o/output=' 'version' 'h/help'
            end
        case 'search'
            __mkt_parse_subcommand -r 1 'db=' 'busy-timeout=' 'q/quiet' 'json' 'merchant=' 'category=' 'brand=+' 'price-min=' 'price-max=' 'currency=' 'in-stock' 'min-rating=' 'language=' 'country=' 'facets=' 'sort=' 'page=' 'per-page=' 'cursor=' 'highlight' 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'reindex'
                __mkt_parse_subcommand 0 'db=' 'busy-timeout=' 'q/quiet' 'version' 'h/help'
            case 'synonyms'
                __mkt_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'load'
                    __mkt_parse_subcommand 1 'db=' 'busy-timeout=' 'q/quiet' 'language=' 'version' 'h/help'
                end
            end
        case 'suggest'
            __mkt_parse_subcommand -r 1 'db=' 'busy-timeout=' 'q/quiet' 'text' 'json' 'jsonl' 'csv' 'tsv' 'limit=' 'version' 'h/help'
        case 'help'
            __mkt_parse_subcommand -r 1 'version'
        end
    end
end

function __mkt_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mkt_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mkt_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mkt_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mkt_tokens -p)
    if test -z "$(__mkt_tokens -t)"
        set -l index (count (__mkt_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mkt' -f
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'init' -d 'Create the database, or upgrade it to this mkt\'s schema.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'db' -d 'Inspect, check and back up the database.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'merchant' -d 'Add, list, show, remove and bulk-import merchants.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'feed' -d 'Check, normalize and convert product feeds (CSV, TSV, Merchant XML, Shopify).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'import' -d 'Import product feeds into the catalog, each all or nothing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'catalog' -d 'List, show and count the catalog\'s products.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'search' -d 'Search the catalog: weighted full text, typo tolerance, filters and facets.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'suggest' -d 'Complete a search as typed, most frequent words first, forgiving a typo.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt db" -eq 1' -fa 'info' -d 'Show the database\'s path, schema version, size, journal mode and row counts.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt db" -eq 1' -fa 'check' -d 'Check the database\'s integrity and foreign keys; exit 1 if anything is wrong.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt db" -eq 1' -fa 'backup' -d 'Copy the database to a file, consistently, while other processes keep writing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt db backup" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" force' -l 'force' -d 'Replace the file if it exists.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt db backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant" -eq 1' -fa 'add' -d 'Add a merchant.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant" -eq 1' -fa 'list' -d 'List merchants, ordered by id.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant" -eq 1' -fa 'show' -d 'Show one merchant.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant" -eq 1' -fa 'remove' -d 'Remove a merchant and everything it owns.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant" -eq 1' -fa 'import' -d 'Add, change or remove merchants from a CSV file, all or nothing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" name' -l 'name' -d 'The shop\'s display name.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" country' -l 'country' -d 'Where the merchant is established: one of the 25 country codes (DE, FR, …).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" currency' -l 'currency' -d 'The currency of its prices (default: the country\'s).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" prices' -l 'prices' -d 'gross: prices include VAT (default); net: they exclude it.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" domain' -l 'domain' -d 'The shop\'s web domain, e.g. acme-shop.de.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" text' -l 'text' -d 'Print for people: aligned on a terminal, tab-separated into a pipe (default).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" json' -l 'json' -d 'Print one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" jsonl' -l 'jsonl' -d 'Print one JSON object per line.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" csv' -l 'csv' -d 'Print CSV with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" tsv' -l 'tsv' -d 'Print tab-separated values with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" mode' -l 'mode' -d 'upsert: add and change rows; replace: also remove rows absent from the input; delete: remove the listed rows.' -rfka 'upsert replace delete'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" dry-run' -l 'dry-run' -d 'Read, validate and show what would change; write nothing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" max-errors' -l 'max-errors' -d 'Skip and report up to N bad rows; one more aborts with nothing written.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" errors' -l 'errors' -d 'Write every rejected row to this file as NDJSON.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" empty-means' -l 'empty-means' -d 'What an empty cell means: keep the stored value, or clear it. __EMPTY__ always clears.' -rfka 'keep clear'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt merchant import" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt merchant import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed" -eq 1' -fa 'check' -d 'Validate feeds against the Merchant Center rules, or compare with a golden file.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed" -eq 1' -fa 'normalize' -d 'Write a feed as canonical JSON lines, byte-for-byte deterministic.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed" -eq 1' -fa 'convert' -d 'Convert a feed to Merchant Center CSV, TSV, RSS XML, or canonical JSON lines.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" text' -l 'text' -d 'Print findings and a summary for people (default).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" json' -l 'json' -d 'Print one JSON document: per feed, the summary and the findings.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" jsonl' -l 'jsonl' -d 'Print every finding as one JSON object per line.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" format' -l 'format' -d 'The feed\'s format: csv, tsv, xml or shopify (default: sniffed from its content).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" delimiter' -l 'delimiter' -d 'The CSV delimiter: , ; | or tab (default: sniffed).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" encoding' -l 'encoding' -d 'The character encoding of a CSV or TSV feed: utf-8, latin1 or windows-1252.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check"' -l 'map' -d 'Rename a column before reading it, e.g. --map "Artikelnummer=id" (repeatable).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" decimal-comma' -l 'decimal-comma' -d 'Accept a comma as the decimal separator in prices (15,00 EUR).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" merchant' -l 'merchant' -d 'The merchant for items that name none.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" language' -l 'language' -d 'The language of the feed (ISO 639-1, such as de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" currency' -l 'currency' -d 'The currency of prices written without one (Shopify exports).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" shop-url' -l 'shop-url' -d 'The shop\'s address, for the product links a Shopify export lacks.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed check" -ge 1' -F
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" max-findings' -l 'max-findings' -d 'Print at most N findings per feed (the counts stay complete).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" golden' -l 'golden' -d 'Compare the feed\'s canonical lines with this file.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" update-golden' -l 'update-golden' -d 'Rewrite the --golden file from the feed instead of comparing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" format' -l 'format' -d 'The feed\'s format: csv, tsv, xml or shopify (default: sniffed from its content).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" delimiter' -l 'delimiter' -d 'The CSV delimiter: , ; | or tab (default: sniffed).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" encoding' -l 'encoding' -d 'The character encoding of a CSV or TSV feed: utf-8, latin1 or windows-1252.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize"' -l 'map' -d 'Rename a column before reading it, e.g. --map "Artikelnummer=id" (repeatable).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" decimal-comma' -l 'decimal-comma' -d 'Accept a comma as the decimal separator in prices (15,00 EUR).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" merchant' -l 'merchant' -d 'The merchant for items that name none.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" language' -l 'language' -d 'The language of the feed (ISO 639-1, such as de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" currency' -l 'currency' -d 'The currency of prices written without one (Shopify exports).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" shop-url' -l 'shop-url' -d 'The shop\'s address, for the product links a Shopify export lacks.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed normalize" -eq 1' -F
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" o output' -l 'output' -s 'o' -d 'The output file (default: standard output).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed normalize" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" format' -l 'format' -d 'The feed\'s format: csv, tsv, xml or shopify (default: sniffed from its content).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" delimiter' -l 'delimiter' -d 'The CSV delimiter: , ; | or tab (default: sniffed).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" encoding' -l 'encoding' -d 'The character encoding of a CSV or TSV feed: utf-8, latin1 or windows-1252.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert"' -l 'map' -d 'Rename a column before reading it, e.g. --map "Artikelnummer=id" (repeatable).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" decimal-comma' -l 'decimal-comma' -d 'Accept a comma as the decimal separator in prices (15,00 EUR).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" merchant' -l 'merchant' -d 'The merchant for items that name none.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" language' -l 'language' -d 'The language of the feed (ISO 639-1, such as de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" currency' -l 'currency' -d 'The currency of prices written without one (Shopify exports).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" shop-url' -l 'shop-url' -d 'The shop\'s address, for the product links a Shopify export lacks.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt feed convert" -eq 1' -F
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" to' -l 'to' -d 'The output format: csv, tsv, xml or jsonl.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" o output' -l 'output' -s 'o' -d 'The output file (default: standard output).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt feed convert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" mode' -l 'mode' -d 'upsert: add and change rows; replace: also remove rows absent from the input; delete: remove the listed rows.' -rfka 'upsert replace delete'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" dry-run' -l 'dry-run' -d 'Read, validate and show what would change; write nothing.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" max-errors' -l 'max-errors' -d 'Skip and report up to N bad rows; one more aborts with nothing written.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" errors' -l 'errors' -d 'Write every rejected row to this file as NDJSON.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" empty-means' -l 'empty-means' -d 'What an empty cell means: keep the stored value, or clear it. __EMPTY__ always clears.' -rfka 'keep clear'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" format' -l 'format' -d 'The feed\'s format: csv, tsv, xml or shopify (default: sniffed from its content).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" delimiter' -l 'delimiter' -d 'The CSV delimiter: , ; | or tab (default: sniffed).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" encoding' -l 'encoding' -d 'The character encoding of a CSV or TSV feed: utf-8, latin1 or windows-1252.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import"' -l 'map' -d 'Rename a column before reading it, e.g. --map "Artikelnummer=id" (repeatable).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" decimal-comma' -l 'decimal-comma' -d 'Accept a comma as the decimal separator in prices (15,00 EUR).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" merchant' -l 'merchant' -d 'The merchant for items that name none.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" language' -l 'language' -d 'The language of the feed (ISO 639-1, such as de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" currency' -l 'currency' -d 'The currency of prices written without one (Shopify exports).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" shop-url' -l 'shop-url' -d 'The shop\'s address, for the product links a Shopify export lacks.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" manifest' -l 'manifest' -d 'Import the feeds a CSV lists (merchant_id,source[,format,mode,language]), each merchant in its own transaction.' -rF
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" jobs' -l 'jobs' -d 'With --manifest: feeds read and parsed ahead of the writer, in parallel.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" create-merchants' -l 'create-merchants' -d 'Create the merchants that items name but the catalog lacks (see --merchant-country).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" merchant-country' -l 'merchant-country' -d 'The country of merchants created by --create-merchants.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" timeout' -l 'timeout' -d 'Seconds an http(s) feed may stall before the attempt is given up.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" retries' -l 'retries' -d 'Attempts after the first for an http(s) feed that fails (backoff 0.5 s, doubling).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt import" -ge 1' -F
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt import" -eq 2' -fa 'history' -d 'List recorded import runs, newest first.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" text' -l 'text' -d 'Print for people: aligned on a terminal, tab-separated into a pipe (default).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" json' -l 'json' -d 'Print one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" jsonl' -l 'jsonl' -d 'Print one JSON object per line.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" csv' -l 'csv' -d 'Print CSV with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" tsv' -l 'tsv' -d 'Print tab-separated values with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" merchant' -l 'merchant' -d 'Only this merchant\'s runs.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" limit' -l 'limit' -d 'At most this many runs.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt import history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt catalog" -eq 1' -fa 'list' -d 'List products, ordered by merchant and id.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt catalog" -eq 1' -fa 'show' -d 'Show one product\'s attributes as the catalog holds them.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt catalog" -eq 1' -fa 'stats' -d 'Count products, in total and per merchant.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt catalog" -eq 1' -fa 'export' -d 'Write the catalog as canonical JSON lines, or as a Merchant Center CSV, TSV or XML feed.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" text' -l 'text' -d 'Print for people: aligned on a terminal, tab-separated into a pipe (default).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" json' -l 'json' -d 'Print one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" jsonl' -l 'jsonl' -d 'Print one JSON object per line.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" csv' -l 'csv' -d 'Print CSV with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" tsv' -l 'tsv' -d 'Print tab-separated values with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" merchant' -l 'merchant' -d 'Only this merchant\'s products.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" limit' -l 'limit' -d 'At most this many products.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" merchant' -l 'merchant' -d 'The merchant, when several have this id.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" merchant' -l 'merchant' -d 'Only this merchant\'s products.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" format' -l 'format' -d 'The format: jsonl, csv, tsv or xml.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" o output' -l 'output' -s 'o' -d 'The output file (default: standard output).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt catalog export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" json' -l 'json' -d 'Print the result as one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" merchant' -l 'merchant' -d 'Only this merchant\'s products.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" category' -l 'category' -d 'Products whose category path starts with this (Home & Garden > Kitchen).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search"' -l 'brand' -d 'Products of this brand (repeatable).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" price-min' -l 'price-min' -d 'The lowest price, in --currency (19.99).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" price-max' -l 'price-max' -d 'The highest price, in --currency.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" currency' -l 'currency' -d 'The currency of --price-min and --price-max.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" in-stock' -l 'in-stock' -d 'Only products in stock.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" min-rating' -l 'min-rating' -d 'Only products rated at least this, 0 to 5 (a product_rating column of the feed).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" language' -l 'language' -d 'Only products of feeds in this language (de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" country' -l 'country' -d 'Only products that ship to this country (DE).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" facets' -l 'facets' -d 'Count hits per value of these, comma-separated: brand, category, price, availability, merchant.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" sort' -l 'sort' -d 'The order of the hits.' -rfka 'relevance price-asc price-desc newest rating'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" page' -l 'page' -d 'The page, from 1.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" per-page' -l 'per-page' -d 'Hits per page, at most 100.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" cursor' -l 'cursor' -d 'Continue after this cursor, printed by the previous page (--json).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" highlight' -l 'highlight' -d 'Mark the matched words: <em> in JSON, bold on a terminal.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt search" -eq 1' -fa 'reindex' -d 'Rebuild the search index and its vocabulary from the catalog.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt search" -eq 1' -fa 'synonyms' -d 'Manage the synonym groups search expands queries with.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search reindex" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search reindex" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search reindex" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search reindex" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search reindex" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt search synonyms" -eq 1' -fa 'load' -d 'Load a language\'s synonym groups, replacing the ones it had.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" language' -l 'language' -d 'The language the groups are for (de).' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_positional "mkt search synonyms load" -eq 1' -F
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt search synonyms load" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" db' -l 'db' -d 'The database file (default: $MKT_DB, else ./mkt.db).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'db\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" busy-timeout' -l 'busy-timeout' -d 'Seconds to wait for another process\'s lock before giving up with exit 75.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" q quiet' -s 'q' -l 'quiet' -d 'Print nothing but errors (and the data asked for).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" text' -l 'text' -d 'Print for people: aligned on a terminal, tab-separated into a pipe (default).'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" json' -l 'json' -d 'Print one JSON document.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" jsonl' -l 'jsonl' -d 'Print one JSON object per line.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" csv' -l 'csv' -d 'Print CSV with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" tsv' -l 'tsv' -d 'Print tab-separated values with a header row.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" limit' -l 'limit' -d 'At most this many completions.' -rfka ''
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" version' -l 'version' -d 'Show the version.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt suggest" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mkt' -n '__mkt_should_offer_completions_for_flags_or_options "mkt help" version' -l 'version' -d 'Show the version.'
