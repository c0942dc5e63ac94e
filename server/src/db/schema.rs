//! One schema for both backends: only Text, Integer, BigInt, Bool, Timestamp and Binary.
//! Longer than the other files on purpose: it is one list, read by looking a table up.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        email_confirmed_at -> Nullable<Timestamp>,
        mail_preference -> Text,
        disabled_at -> Nullable<Timestamp>,
        last_sign_in_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Binary,
        user_id -> BigInt,
        purpose -> Text,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        event_key -> Text,
        user_id -> Nullable<BigInt>,
        to_address -> Text,
        letter -> Text,
        created_at -> Timestamp,
        tries -> Integer,
        next_try_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Binary,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    throttle_events (id) {
        id -> BigInt,
        subject -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    program_staff (program_id, user_id) {
        program_id -> BigInt,
        user_id -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    courses (id) {
        id -> BigInt,
        slug -> Text,
        current_version_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    course_versions (id) {
        id -> BigInt,
        course_id -> BigInt,
        version_label -> Text,
        title -> Text,
        summary -> Text,
        outcomes -> Text,
        pass_mark -> Integer,
        content_hash -> Text,
        published_at -> Timestamp,
        change_summary -> Nullable<Text>,
        published_by_name -> Nullable<Text>,
        published_by_user_id -> Nullable<BigInt>,
        review -> Text,
    }
}

diesel::table! {
    modules (id) {
        id -> BigInt,
        course_version_id -> BigInt,
        position -> Integer,
        slug -> Text,
        title -> Text,
        minutes -> Integer,
        content_note -> Nullable<Text>,
        body_markdown -> Text,
        body_html -> Text,
        has_quiz -> Bool,
        quiz_pass_mark -> Integer,
        quiz_rules -> Text,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        module_id -> BigInt,
        position -> Integer,
        question_key -> Text,
        kind -> Text,
        scenario -> Nullable<Text>,
        prompt -> Text,
        pool_group -> Nullable<Text>,
    }
}

diesel::table! {
    question_options (id) {
        id -> BigInt,
        question_id -> BigInt,
        position -> Integer,
        text -> Text,
        correct -> Bool,
        why -> Text,
    }
}

diesel::table! {
    programs (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        valid_for_months -> Integer,
        updated_at -> Timestamp,
        supervised_minutes -> Integer,
        renewal_window_days -> Integer,
        grace_days -> Integer,
        training_minutes -> Integer,
        self_paced_cap_minutes -> Nullable<Integer>,
        ce_minutes -> Integer,
        reexam_after_days -> Nullable<Integer>,
    }
}

diesel::table! {
    program_attestations (program_id, attestation_key) {
        program_id -> BigInt,
        attestation_key -> Text,
        position -> Integer,
        title -> Text,
        version -> Integer,
        body -> Text,
    }
}

diesel::table! {
    attestation_signatures (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        attestation_key -> Text,
        version -> Integer,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    program_roleplays (program_id, roleplay_key) {
        program_id -> BigInt,
        roleplay_key -> Text,
        position -> Integer,
        title -> Text,
        minutes -> Integer,
        script -> Text,
        items -> Text,
    }
}

diesel::table! {
    roleplay_observations (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        roleplay_key -> Text,
        observed_on -> Timestamp,
        observer_id -> Nullable<BigInt>,
        observer_name -> Text,
        marks -> Text,
        passed -> Bool,
        scored_at -> Timestamp,
    }
}

diesel::table! {
    practice_logs (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        practiced_on -> Timestamp,
        minutes -> Integer,
        role -> Text,
        supervisor_id -> Nullable<BigInt>,
        supervisor_name -> Text,
        status -> Text,
        review_note -> Text,
        logged_at -> Timestamp,
        reviewed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    program_courses (program_id, position) {
        program_id -> BigInt,
        position -> Integer,
        course_slug -> Text,
    }
}

diesel::table! {
    enrollments (id) {
        id -> BigInt,
        user_id -> BigInt,
        course_id -> BigInt,
        enrolled_at -> Timestamp,
        last_module_slug -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    module_reads (enrollment_id, module_slug) {
        enrollment_id -> BigInt,
        module_slug -> Text,
        first_read_at -> Timestamp,
    }
}

diesel::table! {
    quiz_sittings (id) {
        id -> BigInt,
        user_id -> BigInt,
        module_id -> BigInt,
        option_order -> Text,
        draft_answers -> Nullable<Text>,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    attempts (id) {
        id -> BigInt,
        sitting_id -> BigInt,
        user_id -> BigInt,
        course_id -> BigInt,
        course_version_id -> BigInt,
        module_id -> BigInt,
        module_slug -> Text,
        submitted_at -> Timestamp,
        score_basis_points -> Integer,
        passed -> Bool,
    }
}

diesel::table! {
    attempt_answers (attempt_id, question_id) {
        attempt_id -> BigInt,
        question_id -> BigInt,
        chosen -> Text,
        score_basis_points -> Integer,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        code -> Text,
        user_id -> Nullable<BigInt>,
        program_id -> BigInt,
        sequence -> Integer,
        holder_name -> Text,
        program_slug -> Text,
        program_title -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revocation_reason -> Nullable<Text>,
        credential_jwt -> Text,
        valid_from -> Timestamp,
        suspended_at -> Nullable<Timestamp>,
        replaced_by_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    certificate_linked_data (certificate_id) {
        certificate_id -> BigInt,
        credential -> Text,
    }
}

diesel::table! {
    certificate_status_slots (certificate_id) {
        certificate_id -> BigInt,
        list_number -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    certificate_withdrawals (certificate_id) {
        certificate_id -> BigInt,
        withdrawn_at -> Timestamp,
    }
}

diesel::table! {
    certificate_courses (certificate_id, position) {
        certificate_id -> BigInt,
        position -> Integer,
        course_version_id -> BigInt,
        course_title -> Text,
        version_label -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_user_id -> Nullable<BigInt>,
        actor_name -> Text,
        action -> Text,
        subject -> Text,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    course_editors (course_id, user_id) {
        course_id -> BigInt,
        user_id -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    course_drafts (course_id) {
        course_id -> BigInt,
        content -> Text,
        updated_at -> Timestamp,
        updated_by_name -> Text,
        updated_by_user_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    program_practicals (program_id, position) {
        program_id -> BigInt,
        position -> Integer,
        practical_key -> Text,
        title -> Text,
    }
}

diesel::table! {
    practical_signoffs (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        practical_key -> Text,
        completed_on -> Timestamp,
        note -> Text,
        signed_by_user_id -> Nullable<BigInt>,
        signed_by_name -> Text,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organization_admins (user_id) {
        user_id -> BigInt,
        organization_id -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    memberships (organization_id, user_id) {
        organization_id -> BigInt,
        user_id -> BigInt,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        organization_id -> BigInt,
        token -> Text,
        name -> Text,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        organization_id -> BigInt,
        token_hash -> Binary,
        prefix -> Text,
        label -> Text,
        scope -> Text,
        created_by_name -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        window_started_at -> Nullable<Timestamp>,
        window_requests -> Integer,
        created_by_user_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    bulk_verifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        results -> Text,
        created_at -> Timestamp,
        total -> Integer,
        checked -> Integer,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    program_exams (program_id) {
        program_id -> BigInt,
        pass_mark -> Integer,
        review -> Text,
        wait_hours -> Nullable<Integer>,
        max_attempts -> Nullable<Integer>,
        period_days -> Nullable<Integer>,
    }
}

diesel::table! {
    program_exam_draws (program_id, course_slug) {
        program_id -> BigInt,
        course_slug -> Text,
        questions -> Integer,
    }
}

diesel::table! {
    exam_sittings (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        questions -> Text,
        draft_answers -> Nullable<Text>,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    exam_attempts (id) {
        id -> BigInt,
        sitting_id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        submitted_at -> Timestamp,
        score_basis_points -> Integer,
        passed -> Bool,
    }
}

diesel::table! {
    exam_answers (attempt_id, question_id) {
        attempt_id -> BigInt,
        question_id -> BigInt,
        chosen -> Text,
        score_basis_points -> Integer,
    }
}

diesel::table! {
    attempt_grants (id) {
        id -> BigInt,
        user_id -> BigInt,
        course_id -> Nullable<BigInt>,
        module_slug -> Nullable<Text>,
        program_id -> Nullable<BigInt>,
        granted_by_user_id -> Nullable<BigInt>,
        granted_by_name -> Text,
        granted_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    program_hour_categories (program_id, category_key) {
        program_id -> BigInt,
        category_key -> Text,
        position -> Integer,
        title -> Text,
        training_minimum_minutes -> Integer,
        ce_minimum_minutes -> Integer,
    }
}

diesel::table! {
    program_course_hours (program_id, course_slug) {
        program_id -> BigInt,
        course_slug -> Text,
        category_key -> Text,
        minutes -> Integer,
    }
}

diesel::table! {
    live_sessions (id) {
        id -> BigInt,
        program_id -> BigInt,
        title -> Text,
        starts_at -> Timestamp,
        minutes -> Integer,
        place -> Text,
        category_key -> Text,
        capacity -> Integer,
        trainer_id -> Nullable<BigInt>,
        trainer_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    session_seats (session_id, user_id) {
        session_id -> BigInt,
        user_id -> BigInt,
        signed_up_at -> Timestamp,
        attendance -> Nullable<Text>,
        marked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    external_trainings (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        title -> Text,
        provider -> Text,
        taken_on -> Timestamp,
        minutes -> Integer,
        category_key -> Text,
        status -> Text,
        reviewer_name -> Text,
        review_note -> Text,
        logged_at -> Timestamp,
        reviewed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    course_reflection_prompts (course_slug, prompt_key) {
        course_slug -> Text,
        prompt_key -> Text,
        position -> Integer,
        module_slug -> Text,
        body -> Text,
    }
}

diesel::table! {
    reflections (user_id, course_slug, prompt_key) {
        user_id -> BigInt,
        course_slug -> Text,
        prompt_key -> Text,
        answer -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(reflections -> users (user_id));
diesel::joinable!(session_seats -> users (user_id));
diesel::joinable!(external_trainings -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(outbox -> users (user_id));
diesel::joinable!(certificates -> programs (program_id));
diesel::joinable!(certificate_courses -> certificates (certificate_id));
diesel::joinable!(certificate_linked_data -> certificates (certificate_id));
diesel::joinable!(certificate_status_slots -> certificates (certificate_id));
diesel::joinable!(certificate_withdrawals -> certificates (certificate_id));
diesel::joinable!(course_versions -> courses (course_id));
diesel::joinable!(modules -> course_versions (course_version_id));
diesel::joinable!(questions -> modules (module_id));
diesel::joinable!(question_options -> questions (question_id));
diesel::joinable!(program_courses -> programs (program_id));
diesel::joinable!(enrollments -> users (user_id));
diesel::joinable!(enrollments -> courses (course_id));
diesel::joinable!(module_reads -> enrollments (enrollment_id));
diesel::joinable!(quiz_sittings -> modules (module_id));
diesel::joinable!(attempts -> quiz_sittings (sitting_id));
diesel::joinable!(exam_attempts -> exam_sittings (sitting_id));
diesel::joinable!(exam_answers -> exam_attempts (attempt_id));
diesel::joinable!(exam_answers -> questions (question_id));
diesel::joinable!(program_exams -> programs (program_id));
diesel::joinable!(exam_attempts -> programs (program_id));
diesel::joinable!(attempts -> courses (course_id));
diesel::joinable!(practical_signoffs -> programs (program_id));
diesel::joinable!(attempt_answers -> attempts (attempt_id));
diesel::joinable!(attempt_answers -> questions (question_id));
diesel::joinable!(course_editors -> courses (course_id));
diesel::joinable!(course_editors -> users (user_id));
diesel::joinable!(course_drafts -> courses (course_id));
diesel::joinable!(program_practicals -> programs (program_id));
diesel::joinable!(program_staff -> programs (program_id));
diesel::joinable!(program_staff -> users (user_id));
diesel::joinable!(organization_admins -> organizations (organization_id));
diesel::joinable!(organization_admins -> users (user_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(invitations -> organizations (organization_id));
diesel::joinable!(api_tokens -> organizations (organization_id));
diesel::joinable!(bulk_verifications -> users (user_id));

diesel::joinable!(program_attestations -> programs (program_id));
diesel::joinable!(attestation_signatures -> programs (program_id));
diesel::joinable!(practice_logs -> programs (program_id));
diesel::joinable!(program_roleplays -> programs (program_id));
diesel::joinable!(roleplay_observations -> programs (program_id));
diesel::joinable!(program_hour_categories -> programs (program_id));
diesel::joinable!(program_course_hours -> programs (program_id));
diesel::joinable!(live_sessions -> programs (program_id));
diesel::joinable!(session_seats -> live_sessions (session_id));
diesel::joinable!(external_trainings -> programs (program_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    program_attestations,
    attestation_signatures,
    practice_logs,
    program_roleplays,
    roleplay_observations,
    program_hour_categories,
    program_course_hours,
    live_sessions,
    session_seats,
    external_trainings,
    course_reflection_prompts,
    reflections,
    account_tokens,
    outbox,
    organizations,
    organization_admins,
    memberships,
    invitations,
    api_tokens,
    bulk_verifications,
    sessions,
    throttle_events,
    program_staff,
    courses,
    course_versions,
    modules,
    questions,
    question_options,
    programs,
    program_courses,
    enrollments,
    module_reads,
    quiz_sittings,
    attempts,
    attempt_answers,
    certificates,
    certificate_courses,
    certificate_status_slots,
    certificate_linked_data,
    certificate_withdrawals,
    course_editors,
    course_drafts,
    program_practicals,
    practical_signoffs,
    audit_log,
    program_exams,
    program_exam_draws,
    exam_sittings,
    exam_attempts,
    exam_answers,
    attempt_grants,
);
