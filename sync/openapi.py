"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

The schemas are the pydantic models' of sync/schemas.py; the paths and examples are written
here. The examples are checked against their schemas and real answers in tests/test_openapi.py,
so they cannot drift.
"""

from sync import schemas

HOUSEHOLD_UUID = "5b0c6f43-8d55-4a9c-9a57-0d1f3c2b7e10"
RESIDENT_UUID = "a4e7c1d2-3b4f-4c5d-8e6f-7a8b9c0d1e2f"
RECORD_UUID = "0f9e8d7c-6b5a-4c3d-9e1f-2a3b4c5d6e7f"
EXAMPLE_GROUP_ID = 1


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(example_code: str, message: str) -> dict:
    return {
        "content": {
            "application/json": {
                "schema": _ref("Error"),
                "example": {"error": example_code, "message": message},
            }
        }
    }


def _error_status(status: int, message: str) -> dict:
    """The app's own error pages answer JSON under /api/ with the status as the error code."""
    return {
        "content": {
            "application/json": {
                "schema": _ref("Error"),
                "example": {"error": status, "message": message},
            }
        }
    }


PUSH_EXAMPLE = {
    "items": [
        {
            "type": "household",
            "uuid": HOUSEHOLD_UUID,
            "group_id": EXAMPLE_GROUP_ID,
            "address": "K12/4 Hà Huy Tập",
            "head_name": "Phan Văn Tài",
            "phone": "0905111222",
            "consent": True,
        },
        {
            "type": "resident",
            "uuid": RESIDENT_UUID,
            "household_uuid": HOUSEHOLD_UUID,
            "full_name": "Phan Văn Tài",
            "birth_year": 1968,
        },
        {
            "type": "record",
            "uuid": RECORD_UUID,
            "household_uuid": HOUSEHOLD_UUID,
            "resident_uuids": [RESIDENT_UUID],
            "kind": "eid_level2",
            "outcome": "pending",
            "reason": "Chờ công an xác thực",
            "place": "home",
            "minutes": 15,
            "client_time": "2026-03-02T02:15:00+00:00",
        },
        {"type": "record", "uuid": "not-a-uuid", "kind": "guidance"},
    ]
}

SERVER_EXAMPLE = {"identity": "5b0e7f62-3c1d-4f7a-9a43-0d6c2b8e1f90", "high_water": 58}
PUSH_RESPONSE_EXAMPLE = {
    "server": SERVER_EXAMPLE,
    "results": [
        {"uuid": HOUSEHOLD_UUID, "type": "household", "status": "accepted", "id": 3001},
        {"uuid": RESIDENT_UUID, "type": "resident", "status": "accepted", "id": 9102},
        {"uuid": RECORD_UUID, "type": "record", "status": "accepted", "id": 57},
        {
            "uuid": None,
            "type": "record",
            "status": "rejected",
            "reason": "invalid_field",
            "field": "uuid",
        },
    ],
    "server_time": "2026-03-02T02:16:04.120000+00:00",
}

PULL_EXAMPLE = {
    "server": SERVER_EXAMPLE,
    "cursor": "2026-03-02T02:11:04.120000+00:00",
    "full": True,
    "server_time": "2026-03-02T02:16:04.120000+00:00",
    "ward": {"id": 1, "name": "Thanh Khê Đông"},
    "groups": [{"id": 1, "number": 1, "name": "Tổ 1"}],
    "procedures": [{"id": 1, "name": "Đăng ký khai sinh", "mode": "toan_trinh", "active": True}],
    "shifts": [],
    "households": [
        {
            "uuid": HOUSEHOLD_UUID,
            "group_id": 1,
            "address": "K12/4 Hà Huy Tập",
            "head_name": "Phan Văn Tài",
            "phone": "0905111222",
            "consent": True,
            "residents": [
                {
                    "uuid": RESIDENT_UUID,
                    "full_name": "Phan Văn Tài",
                    "birth_year": 1968,
                    "eid_level": 1,
                }
            ],
        }
    ],
    "residents": [],
    "deleted": {"households": [], "residents": [], "outside": []},
    "followups": [],
    "recent": [],
}


def document() -> dict:
    unauthorized = {
        "description": "No session: JSON, never a redirect to the login page.",
        **_error("unauthorized", "Phiên đăng nhập đã hết hạn."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thanh niên 24/7 sync API",
            "version": "1",
            "description": (
                "Uses the browser session (cookie). POST requests carry the header X-CSRFToken "
                'with a token from /api/v1/csrf; a CSRF failure answers 400 with error "csrf".'
            ),
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas.component_schemas(),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
        "security": [{"session": []}],
        "paths": {
            "/api/v1/csrf": {
                "get": {
                    "operationId": "csrfToken",
                    "summary": "A fresh CSRF token for the next push",
                    "responses": {
                        "200": {
                            "description": "The token",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["csrf_token", "server"],
                                        "properties": {
                                            "csrf_token": {"type": "string"},
                                            "server": {"type": "object"},
                                        },
                                    },
                                    "example": {
                                        "csrf_token": "IjA1ZjM4ZDk5Yi4uLiI.aB3xYw.sig",
                                        "server": SERVER_EXAMPLE,
                                    },
                                }
                            },
                            "links": {
                                "PushWithToken": {
                                    "operationId": "pushItems",
                                    "parameters": {
                                        "header.X-CSRFToken": "$response.body#/csrf_token"
                                    },
                                }
                            },
                        },
                        "401": unauthorized,
                    },
                }
            },
            "/api/v1/pull": {
                "get": {
                    "operationId": "pullChanges",
                    "summary": "The ward's offline copy, whole or changed since a cursor",
                    "parameters": [
                        {
                            "name": "cursor",
                            "in": "query",
                            "description": "The cursor of the previous pull (a time, 1900–2100).",
                            "schema": {
                                "type": "string",
                                "format": "date-time",
                                "pattern": "^(19|20)[0-9]{2}-",
                            },
                        },
                        {
                            "name": "scope",
                            "in": "query",
                            "description": "With a cursor: the groups the phone holds, the "
                            "answer's last 'scope' joined by commas. Missing or unreadable "
                            "for a volunteer: a full copy.",
                            "schema": {"type": "string", "pattern": "^[0-9,]*$"},
                        },
                        {
                            "name": "ward",
                            "in": "query",
                            "description": "Admins only: which ward.",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Gzip-encoded when the client accepts it.",
                            "content": {
                                "application/json": {
                                    "schema": _ref("PullResponse"),
                                    "example": PULL_EXAMPLE,
                                }
                            },
                            "links": {
                                "PullSinceCursor": {
                                    "operationId": "pullChanges",
                                    "description": "The next pull: only what changed since.",
                                    "parameters": {
                                        "query.cursor": "$response.body#/cursor",
                                        "query.ward": "$response.body#/ward/id",
                                    },
                                }
                            },
                        },
                        "400": {
                            "description": (
                                "Bad cursor (unreadable, without offset, outside 1900–2100), a "
                                "ward that is not a positive integer, control characters, or an "
                                "admin who named no ward"
                            ),
                            **_error(
                                "bad_cursor", "Mốc đồng bộ không hợp lệ; hãy tải lại toàn bộ."
                            ),
                        },
                        "401": unauthorized,
                        "404": {
                            "description": "The admin named a ward that does not exist",
                            **_error_status(404, "Trang hoặc bản ghi này không tồn tại."),
                        },
                    },
                }
            },
            "/api/v1/push": {
                "post": {
                    "operationId": "pushItems",
                    "summary": "Send queued items; each gets its own answer",
                    "description": (
                        "Idempotent by UUID: the same item again is 'duplicate' with the stored id; "
                        "another item with a used UUID is 'conflict' (also a household or resident "
                        "made on the web under that UUID; 'duplicate' when it holds the same). Valid "
                        "items are stored in one transaction even when others are rejected; an item "
                        "the database refuses is 'rejected' with reason 'storage_error'. 500 only "
                        "when the database itself fails: send the batch again later."
                    ),
                    "parameters": [
                        {
                            "name": "X-CSRFToken",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": _ref("PushRequest"),
                                "example": PUSH_EXAMPLE,
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One result per item, in order",
                            "content": {
                                "application/json": {
                                    "schema": _ref("PushResponse"),
                                    "example": PUSH_RESPONSE_EXAMPLE,
                                }
                            },
                            "links": {
                                "PullAfterPush": {
                                    "operationId": "pullChanges",
                                    "description": "What changed on the server since the push.",
                                    "parameters": {"query.cursor": "$response.body#/server_time"},
                                }
                            },
                        },
                        "400": {
                            "description": (
                                "Not a JSON object with items (JSON nested deeper than 32 levels "
                                "is not read), or a CSRF failure"
                            ),
                            **_error("csrf", "Mã bảo mật đã hết hạn, hãy thử lại."),
                        },
                        "401": unauthorized,
                        "403": {
                            "description": "The ward officer's role does not log assistance",
                            **_error_status(403, "Vai trò của bạn không mở được trang này."),
                        },
                        "413": {
                            "description": "Body over 1 MB or more than 500 items",
                            "content": {
                                "application/json": {
                                    "schema": _ref("TooLarge"),
                                    "example": {
                                        "error": "too_large",
                                        "message": "Gói dữ liệu quá lớn; hãy gửi ít bản ghi hơn mỗi lần.",
                                        "max_bytes": 1048576,
                                        "max_items": 500,
                                    },
                                }
                            },
                        },
                    },
                }
            },
        },
    }
